// e-Yueche demo app: what each feature screen says once the consent flow let it start.
// The host flow itself (consents, permissions, limited mode) is ../shared/app-kit.js.
window.DemoApp.start({
  slug: 'e-yueche',
  screens: {
    vehicle_use: "用车：已定位，附近 2 个网点有可用车辆。（演示，不产生真实订单）",
    proxy_booking: "代叫车：请从通讯录中选择乘车人。请确认您已取得对方的同意。（演示）",
    document_verification: "证件认证：请拍摄身份证、工作证和驾驶证。（演示）",
    recharge_card_binding: "扫码绑卡：请将充值卡背面的二维码置于取景框内。（演示）",
    payment: "支付：请选择支付宝或微信支付。（演示）",
    mall_vouchers: "商城：卡券与积分兑换。（演示）",
    personalized_content: "为你推荐：根据您的偏好为您展示出行内容。（演示）",
  },
});
