// Lakala Pay demo app: what each feature screen says once the consent flow let it start.
// The host flow itself (consents, permissions, limited mode) is ../shared/app-kit.js.
window.DemoApp.start({
  slug: 'lakala-pay',
  screens: {
    card_acceptance: "收款：刷卡器已连接。请输入金额，并请顾客刷卡、插卡或挥卡。（演示，不产生真实交易）",
    transaction_void: "撤销交易：请选择当日的一笔交易，并请顾客再次刷卡确认。（演示）",
    balance_inquiry: "余额查询：请顾客刷卡并输入密码。（演示）",
    transaction_query: "交易查询：近 30 天暂无交易流水。（演示）",
    merchant_onboarding: "商户开通：请拍摄身份证正反面，并填写店铺名称与地址。（演示）",
    merchant_upgrade: "商户升级：请填写营业执照号并上传营业执照照片。（演示）",
    merchant_withdrawal: "提款：可提现金额 0.00 元。（演示）",
    identity_cross_verification: "实名认证：请将面部置于取景框内，完成人脸活体认证。（演示）",
    online_customer_service: "在线客服：您好，请问有什么可以帮您？（演示）",
    check_in: "签到成功：今日已签到。（演示）",
    location_recommendation: "附近优惠：根据您的位置，为您推荐 3 家附近商户的优惠。（演示）",
    personalized_push: "消息推送：已为您开启个性化推送。（演示）",
    value_added_services: "金融服务：为您展示合作金融机构提供的增值业务。（演示）",
    affiliate_account_login: "关联账号：可使用同一账号登录拉卡拉关联平台。（演示）",
  },
});
