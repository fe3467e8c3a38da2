// Leliao Card demo app: what each feature screen says once the consent flow let it start.
// The host flow itself (consents, permissions, limited mode) is ../shared/app-kit.js.
window.DemoApp.start({
  slug: 'leliao-card',
  screens: {
    account_registration: "我的名片：请填写姓名与联系电话，创建您的电子名片。（演示）",
    real_name_verification: "实名认证：请正对镜头，完成人脸识别。（演示）",
    communication_and_sharing: "分享名片：拍摄或选择一张照片，分享给好友。（演示）",
    location_services: "附近的人：根据您的位置，展示附近交换名片的用户。（演示）",
    gov_services: "办事服务：公积金、社保、公共交通、税务、户政等可选服务。（演示）",
    offline_delivery: "线下领取：请填写联系人、联系方式与地址。（演示）",
    service_usage: "网站登录：已使用乐聊名片登录政务网站。（演示）",
  },
});
