// KLTong Pay demo app: what each feature screen says once the consent flow let it start.
// The host flow itself (consents, permissions, limited mode) is ../shared/app-kit.js.
window.DemoApp.start({
  slug: 'kltong',
  screens: {
    quick_pay: "快捷支付：请输入银行卡号及银行预留手机号完成绑定。（演示，不产生真实交易）",
    transfer: "转账：请输入收款方姓名与账号。（演示）",
    merchant_payment: "付款：请向商家出示付款码。（演示）",
    transaction_query: "交易记录：暂无交易。（演示）",
    id_document_submission: "证件上传：请拍摄有效身份证件的正反面。（演示）",
    biometric_verification: "刷脸验证：请正对屏幕，完成生物特征验证。（演示）",
    key_account_operations: "修改绑定：为保障账户安全，请拍摄手持身份证照片。（演示）",
    service_notifications: "服务通知：暂无新通知。（演示）",
    cross_border_products: "跨境业务：相关信息将传输至境外机构以完成业务。（演示）",
    third_party_login: "授权登录：正在使用开联通账号登录第三方网站。（演示）",
    complaint_handling: "投诉：请描述您遇到的问题，我们将在 15 个工作日内答复。（演示）",
  },
});
