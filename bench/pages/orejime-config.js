// Orejime 3.2.1 (standard theme, English): one purpose. Orejime starts by itself when
// window.orejimeConfig is set and its script runs.
window.orejimeConfig = {
  privacyPolicyUrl: '/privacy',
  purposes: [{ id: 'analytics', title: 'Analytics', description: 'Helps us improve the app.', cookies: ['_ga'] }],
};
