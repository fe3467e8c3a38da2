// LianLian Pay demo app: what each feature screen says once the consent flow let it start.
// The host flow itself (consents, permissions, limited mode) is ../shared/app-kit.js.
window.DemoApp.start({
  slug: 'lianlian-pay',
  screens: {
    quick_pay: "快捷支付：请选择已绑定的银行卡并输入短信验证码。（演示，不产生真实交易）",
    online_banking_pay: "网银支付：即将跳转至您选择的银行网银页面。（演示）",
    fx_remittance: "跨境汇款：请填写境外收款账户，资金将经境外合作银行划转。（演示）",
    customer_service: "客服：为核验身份，请提供您的姓名与订单号。（演示）",
    marketing_notifications: "活动通知：您将收到连连支付的营销活动短信或邮件，可随时退订。（演示）",
  },
});
