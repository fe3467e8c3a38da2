// What each demo app does as a host of the SDK (the script-tag build, `InAppConsent.instance`).
// An app's index.html holds its home screen; its app.js calls DemoApp.start({ … }) with the texts
// of its feature screens. Every feature tile runs one host flow:
//
//   1. no basic agreement (不同意, or the dialog closed) → the feature is marked unavailable and
//      explained; browsing tiles keep working (FL-04, PP-04);
//   2. optional purposes the feature needs and the person has not switched on → explained, with
//      the privacy center one tap away; its switch asks the separate consents they rest on
//      (CG-01, CG-02);
//   3. the separate consents the feature needs → requestSeparateConsent(id) (SC-01 … SC-04);
//   4. the permissions the tile names (or the feature's, by default) one at a time →
//      requestPermission(id, { feature }) (PP-01 … PP-06);
//   5. the feature screen.
//
// Methods of the widget or bridge that a build lacks are feature-checked: the tile then says
// "not available in this build" instead of failing.
(function () {
  'use strict';

  var $ = function (selector, root) {
    return (root || document).querySelector(selector);
  };
  var $$ = function (selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  };
  var has = function (object, name) {
    return object !== null && object !== undefined && typeof object[name] === 'function';
  };
  var host = window.demoHost || { framed: false, post: function () {} };

  var STATUS_TEXT = {
    granted: '已允许',
    limited: '已部分允许',
    denied: '未允许',
    blocked: '已禁止（需在系统设置中开启）',
    unavailable: '此设备不可用',
  };
  var REASON_TEXT = {
    cooldown: '您近期拒绝过此权限，我们在冷却期内不会再次弹窗询问。如需使用，请点“去开启”。',
    not_now: '您选择了“暂不开启”。',
    os: '系统权限请求被拒绝。',
    blocked: '该权限已被系统禁止，需要您在系统设置中开启。',
    settings: '已前往系统设置，返回应用后将重新读取权限状态。',
    error: '权限请求未完成（原生端无应答或出错）。',
    current: '',
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'class') node.className = attrs[key];
      else if (key === 'text') node.textContent = attrs[key];
      else if (key.indexOf('on') === 0) node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  // ---------------------------------------------------------------------------------------
  // The sheet (the app's own screens) and the toast

  var sheetReturnFocus = null;
  function openSheet(title, body, actions) {
    var sheet = $('#sheet');
    $('#sheet-title').textContent = title;
    var content = $('#sheet-body');
    content.replaceChildren.apply(content, body.filter(Boolean));
    var buttons = $('#sheet-actions');
    buttons.replaceChildren.apply(
      buttons,
      (actions || []).concat([{ label: '关闭', close: true }]).map(function (action) {
        return el('button', {
          type: 'button',
          class: action.primary ? 'btn primary' : 'btn',
          text: action.label,
          onclick: function () {
            closeSheet();
            if (action.run) action.run();
          },
        });
      }),
    );
    sheetReturnFocus = document.activeElement;
    sheet.hidden = false;
    $('#app').setAttribute('aria-hidden', 'true');
    $('#sheet-title').focus();
  }
  function closeSheet() {
    var sheet = $('#sheet');
    if (sheet.hidden) return;
    sheet.hidden = true;
    $('#app').removeAttribute('aria-hidden');
    if (sheetReturnFocus && sheetReturnFocus.focus) sheetReturnFocus.focus();
  }
  var toastTimer = 0;
  function toast(text) {
    var node = $('#toast');
    node.textContent = text;
    node.classList.add('show');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      node.classList.remove('show');
    }, 3200);
  }
  function log(text) {
    host.post('log', text);
    if (window.console) console.info('[demo] ' + text);
  }

  // ---------------------------------------------------------------------------------------
  // Reading the policy

  function labelOf(policy, kind, id) {
    var list = policy[kind] || [];
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i].label || list[i].title || list[i].name || id;
    return id;
  }
  function featureOf(policy, id) {
    return (policy.features || []).filter(function (feature) {
      return feature.id === id;
    })[0];
  }
  /**
   * The purposes the feature relies on. An optional purpose gates a feature only when the feature
   * exists for it (no basic-bundle purpose of its own, e.g. 附近优惠); otherwise it is an extra
   * the feature works without (CG-02: refusing X leaves features not built on X working).
   */
  function purposesOf(policy, featureId) {
    var all = (policy.purposes || []).filter(function (purpose) {
      return (purpose.features || []).indexOf(featureId) >= 0;
    });
    var hasBasic = all.some(function (purpose) {
      return purpose.consentMode === 'basic_bundle';
    });
    return all.filter(function (purpose) {
      return purpose.consentMode === 'basic_bundle' || purpose.consentMode === 'notice_only' || (purpose.consentMode === 'optional_toggle' && !hasBasic);
    });
  }
  function separateConsentsOf(policy, featureId) {
    var separatePurposes = (policy.purposes || [])
      .filter(function (purpose) {
        return (purpose.features || []).indexOf(featureId) >= 0 && purpose.consentMode === 'separate';
      })
      .map(function (purpose) {
        return purpose.id;
      });
    return (policy.separateConsents || []).filter(function (consent) {
      return (consent.featureIds || []).indexOf(featureId) >= 0 || separatePurposes.indexOf(consent.purposeId) >= 0;
    });
  }
  function permissionsOf(tile, feature) {
    var named = tile.getAttribute('data-permissions');
    if (named !== null) return named.split(/\s+/).filter(Boolean);
    return (feature.permissions || []).slice();
  }
  function itemsText(policy, feature) {
    return (feature.items || [])
      .map(function (item) {
        return labelOf(policy, 'dataItems', typeof item === 'string' ? item : item.id);
      })
      .join('、');
  }

  // ---------------------------------------------------------------------------------------
  // The app

  function start(config) {
    config = config || {};
    var screens = config.screens || {};
    var bar = $('#sdk-status');

    $$('[data-tab]').forEach(function (button) {
      button.addEventListener('click', function () {
        var name = button.getAttribute('data-tab');
        $$('.view').forEach(function (view) {
          view.hidden = view.id !== 'view-' + name;
        });
        $$('[data-tab]').forEach(function (other) {
          if (other === button) other.setAttribute('aria-current', 'page');
          else other.removeAttribute('aria-current');
        });
      });
    });
    $$('[data-browse]').forEach(function (button) {
      button.addEventListener('click', function () {
        var template = $('#browse-' + button.getAttribute('data-browse'));
        var body = template ? Array.prototype.slice.call(template.content.cloneNode(true).childNodes) : [el('p', { text: '（演示内容）' })];
        openSheet(button.getAttribute('data-title') || button.textContent.trim(), body);
        log('浏览：' + (button.getAttribute('data-title') || button.textContent.trim()) + '（不收集个人信息）');
      });
    });
    $('#sheet-close').addEventListener('click', closeSheet);
    $('#sheet').addEventListener('click', function (event) {
      if (event.target === event.currentTarget) closeSheet();
    });
    document.addEventListener('keydown', function (event) {
      // An Esc the consent widget already handled (it closed its own dialog) is not for the
      // sheet: the sheet that dialog's answer just opened would close unseen.
      if (event.key === 'Escape' && !event.defaultPrevented) closeSheet();
    });

    if (!window.InAppConsent) {
      bar.textContent = 'SDK 未加载（dist/inapp-consent.iife.js 缺失？请先构建）· SDK not loaded';
      bar.hidden = false;
      $$('[data-feature], [data-action]').forEach(function (button) {
        button.setAttribute('data-state', 'missing');
      });
      return;
    }
    window.addEventListener('inappconsent:error', function (event) {
      var message = event.detail && event.detail.message ? event.detail.message : String(event.detail);
      log('SDK 错误：' + message);
      if (!window.InAppConsent.instance) {
        bar.textContent = '隐私政策加载失败 · the policy did not load: ' + message;
        bar.hidden = false;
      }
    });

    Promise.resolve(window.InAppConsent.ready).then(function (consent) {
      if (!consent) {
        bar.textContent = bar.textContent || '隐私政策加载失败（见控制台）· the policy did not load';
        bar.hidden = false;
        return;
      }
      run(consent, screens);
    });
  }

  function run(consent, screens) {
    var policy = consent.policy;
    var busy = false;

    // Privacy entries (FL-06: 我的 → 隐私设置 → 隐私政策 is three taps).
    $$('[data-action]').forEach(function (button) {
      var action = button.getAttribute('data-action');
      var method = { 'privacy-center': 'openPrivacyCenter', 'policy-summary': 'showPolicySummary', 'first-launch': 'showFirstLaunch' }[action];
      button.addEventListener('click', function () {
        if (!has(consent, method)) return toast(method + '() 在此构建中不可用 · not available in this build');
        log(method + '()');
        consent[method]();
      });
    });

    $$('[data-feature]').forEach(function (tile) {
      var id = tile.getAttribute('data-feature');
      if (!featureOf(policy, id)) {
        tile.setAttribute('data-state', 'missing');
        tile.title = '政策中没有功能 ' + id;
      }
      tile.addEventListener('click', function () {
        if (busy) return;
        busy = true;
        useFeature(tile, {}).then(
          function () {
            busy = false;
          },
          function (error) {
            busy = false;
            openSheet(label(tile), [el('p', { class: 'error', text: '出错了：' + (error && error.message ? error.message : String(error)) })]);
            log('错误：' + (error && error.message ? error.message : String(error)));
          },
        );
      });
    });

    function label(tile) {
      return ($('.label', tile) || tile).textContent.trim();
    }

    function render(snapshot) {
      var decision = snapshot.decision;
      document.body.setAttribute('data-consent', decision);
      var banner = $('#mode-banner');
      if (snapshot.ready && decision === 'declined') {
        banner.replaceChildren(
          el('span', { text: '仅浏览模式：未同意隐私政策，不收集个人信息；需要个人信息的功能暂不可用。' }),
          el('button', {
            type: 'button',
            class: 'link',
            text: '隐私设置',
            onclick: function () {
              if (has(consent, 'openPrivacyCenter')) consent.openPrivacyCenter();
            },
          }),
        );
        banner.hidden = false;
      } else banner.hidden = true;

      $$('[data-feature]').forEach(function (tile) {
        var feature = featureOf(policy, tile.getAttribute('data-feature'));
        if (!feature) return;
        var state = 'ready';
        var badge = '';
        if (!snapshot.ready) state = 'loading';
        else if (decision !== 'agreed') {
          state = 'locked';
          badge = '不可用';
        } else {
          var off = purposesOf(policy, feature.id).filter(function (purpose) {
            return purpose.consentMode === 'optional_toggle' && !consent.isGranted(purpose.id);
          });
          var refused = permissionsOf(tile, feature).filter(function (id) {
            var status = snapshot.permissions[id];
            return status === 'denied' || status === 'blocked';
          });
          if (off.length) {
            state = 'off';
            badge = '未开启';
          } else if (refused.length) {
            state = 'permission';
            badge = '未授权';
          }
        }
        tile.setAttribute('data-state', state);
        var badgeNode = $('.badge', tile);
        if (badgeNode) badgeNode.textContent = badge;
      });

      host.post('state', {
        policyId: snapshot.policyId,
        policyVersion: snapshot.policyVersion,
        subject: snapshot.subject,
        decision: decision,
        ready: snapshot.ready,
        granted: Object.keys(snapshot.granted || {}).filter(function (id) {
          return snapshot.granted[id];
        }),
        permissions: snapshot.permissions,
        storageDegraded: snapshot.storageDegraded,
      });
    }

    if (has(consent, 'subscribe')) consent.subscribe(render);
    render(consent.state.value);
    if (has(consent, 'on')) {
      consent.on('error', function (error) {
        log('error 事件：' + (error.code || '') + ' ' + error.message);
        if (error.code === 'bridge-timeout') toast('原生端未应答（超时）');
      });
      consent.on('decision', function (event) {
        log('decision：' + JSON.stringify(event).slice(0, 160));
      });
    }
    if (consent.ready && consent.ready.then) {
      consent.ready.then(function () {
        render(consent.state.value);
      });
    }
    $('#sdk-status').hidden = true;

    // -------------------------------------------------------------------------------------
    // One feature, end to end

    function offSheet(name, purposes, lead) {
      openSheet(name + '未开启', [
        el('p', { text: '「' + name + '」依赖以下处理目的，' + lead + '：' }),
        el('ul', {}, purposes.map(function (purpose) { return el('li', { text: purpose.label || purpose.id }); })),
        el('p', { text: '您可以在“隐私设置”中开启，也可以不开启：其他功能不受影响。' }),
      ], [{ label: '打开隐私设置', primary: true, run: function () { if (has(consent, 'openPrivacyCenter')) consent.openPrivacyCenter(); } }]);
    }

    async function useFeature(tile, options) {
      var feature = featureOf(policy, tile.getAttribute('data-feature'));
      var name = label(tile);
      if (!feature) return openSheet(name, [el('p', { text: '此功能未在隐私政策中声明，不能使用。' })]);
      log('点击「' + name + '」(' + feature.id + ')');
      var decision = consent.state.value.decision;

      // 1. Limited mode: no basic agreement, no collection (FL-04).
      if (decision !== 'agreed') {
        var why = decision === 'declined' ? '您选择了“不同意”，当前为仅浏览模式，我们不会收集您的个人信息。' : '您还没有对隐私政策作出选择。';
        var items = itemsText(policy, feature);
        return openSheet(name + '暂不可用', [
          el('p', { text: why }),
          el('p', { text: '「' + name + '」需要处理' + (items ? '：' + items : '个人信息') + '，因此暂不可用；浏览类功能不受影响。' }),
        ], [
          decision === 'declined'
            ? { label: '打开隐私设置', primary: true, run: function () { if (has(consent, 'openPrivacyCenter')) consent.openPrivacyCenter(); } }
            : { label: '查看并选择', primary: true, run: function () { if (has(consent, 'showFirstLaunch')) consent.showFirstLaunch(); } },
        ]);
      }

      // 2. Optional purposes the person has not switched on (or withdrew). The privacy center's
      //    switch asks the separate consents such a purpose rests on, so they are not asked here.
      var purposes = purposesOf(policy, feature.id);
      var optionalOff = purposes.filter(function (purpose) {
        return purpose.consentMode === 'optional_toggle' && !consent.isGranted(purpose.id);
      });
      if (optionalOff.length) return offSheet(name, optionalOff, '您没有开启');

      // 3. Separate consents (单独同意), asked just in time.
      var optionalIds = purposes.filter(function (purpose) { return purpose.consentMode === 'optional_toggle'; }).map(function (purpose) { return purpose.id; });
      var separates = separateConsentsOf(policy, feature.id).filter(function (separate) {
        return optionalIds.indexOf(separate.purposeId) < 0;
      });
      for (var i = 0; i < separates.length; i++) {
        var separate = separates[i];
        if (consent.isGranted(separate.id)) continue;
        if (!has(consent, 'requestSeparateConsent')) {
          return openSheet(name, [el('p', { class: 'note', text: 'requestSeparateConsent() 在此构建中不可用 · not available in this build' })]);
        }
        log('requestSeparateConsent("' + separate.id + '")');
        var given = await consent.requestSeparateConsent(separate.id);
        log('→ ' + given);
        if (!given) {
          return openSheet(name + '未开启', [
            el('p', { text: '您没有同意「' + (separate.title || separate.id) + '」，我们不会处理相关信息。「' + name + '」因此不可用，其他功能不受影响。' }),
          ], [{ label: '重新考虑', primary: true, run: function () { useFeature(tile, options); } }]);
        }
      }

      // Basic purposes withdrawn in the privacy center.
      var withdrawn = purposes.filter(function (purpose) {
        return !consent.isGranted(purpose.id);
      });
      if (withdrawn.length) return offSheet(name, withdrawn, '您已关闭或尚未确认');

      // 4. Permissions, one at a time, when the feature starts.
      var permissions = permissionsOf(tile, feature);
      var outcomes = [];
      for (var j = 0; j < permissions.length; j++) {
        var permissionId = permissions[j];
        if (!has(consent, 'requestPermission')) {
          return openSheet(name, [el('p', { class: 'note', text: 'requestPermission() 在此构建中不可用 · not available in this build' })]);
        }
        var request = { feature: feature.id };
        if (options.userInitiated) request.userInitiated = true;
        log('requestPermission("' + permissionId + '", ' + JSON.stringify(request) + ')');
        var result = await consent.requestPermission(permissionId, request);
        log('→ ' + result.status + ' (' + result.reason + ')' + (result.serviceEnabled === false ? ' service off' : ''));
        var permissionName = labelOf(policy, 'permissions', permissionId);
        if (result.status === 'granted' || result.status === 'limited') {
          if (result.serviceEnabled === false) {
            return openSheet(name, [
              el('p', { text: '已获得' + permissionName + '权限，但系统的' + (/bluetooth|蓝牙/i.test(permissionId + permissionName) ? '蓝牙' : '定位服务') + '已关闭。请在系统中打开后再试。' }),
            ]);
          }
          outcomes.push(permissionName + '：' + STATUS_TEXT[result.status]);
          continue;
        }
        if (result.status === 'unavailable') {
          outcomes.push(permissionName + '：' + STATUS_TEXT.unavailable + '（不影响本功能的其他部分）');
          continue;
        }
        // Refused: this feature stops; every other feature keeps working (PP-04).
        var declared = (policy.permissions || []).filter(function (permission) { return permission.id === permissionId; })[0] || {};
        var impact = declared.refusalImpact && declared.refusalImpact.text;
        var affects = (result.affects || []).map(function (id) { return labelOf(policy, 'features', id); });
        var again = result.reason === 'blocked' || result.status === 'blocked' ? '去设置' : '去开启';
        return openSheet(name + '：' + permissionName + STATUS_TEXT[result.status], [
          el('p', { text: REASON_TEXT[result.reason] || '' }),
          impact ? el('p', { text: impact }) : null,
          affects.length ? el('p', { class: 'muted', text: '受影响的功能：' + affects.join('、') + '。其他功能照常可用。' }) : el('p', { class: 'muted', text: '其他功能照常可用。' }),
          result.error ? el('p', { class: 'muted', text: result.error.message }) : null,
        ], [{ label: again, primary: true, run: function () { useFeature(tile, { userInitiated: true }); } }]);
      }

      // 5. The feature itself (a stand-in screen).
      var screen = screens[feature.id] || '（演示）功能已就绪。';
      openSheet(name, [
        el('p', { class: 'ok', text: screen }),
        outcomes.length ? el('ul', { class: 'muted' }, outcomes.map(function (line) { return el('li', { text: line }); })) : null,
      ]);
      log('「' + name + '」已打开');
    }
  }

  window.DemoApp = { start: start };
})();
