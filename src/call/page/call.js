/* call.js — the call page's logic, for both transports.
 *
 * Reads the configuration the app put into #ataraxia-config, loads the Jitsi
 * server's external_api.js, creates the JitsiMeetExternalAPI (options-object
 * form), forwards the events the app cares about as {type, data} messages
 * and runs the app's commands. See DESIGN.md ("Call view", "Browser calls")
 * and shared/JITSI-EXTERNAL-API.md.
 *
 * Transports (config.transport):
 *   "webkit": messages → window.webkit.messageHandlers.ataraxia.postMessage;
 *             commands ← window.ataraxiaCommand({name, args}) called by the app.
 *   "http":   messages → POST config.events_url (JSON body), in order;
 *             commands ← EventSource(config.commands_url), one JSON command
 *             per event (unnamed "message" events, or events named "command").
 *
 * Only the five commands of the bridge are run, with their argument types
 * checked; anything else is dropped.
 */
(function () {
  'use strict';

  /* The events of DESIGN.md's list, forwarded with the API's payload. */
  var FORWARDED_EVENTS = [
    'videoConferenceJoined',
    'videoConferenceLeft',
    'participantJoined',
    'participantLeft',
    'participantRoleChanged',
    'knockingParticipant',
    'audioMuteStatusChanged',
    'videoMuteStatusChanged',
    'errorOccurred',
    'readyToClose',
    'browserSupport'
  ];

  /* Command whitelist: name → argument check. */
  var COMMANDS = {
    hangup: function (args) { return args.length === 0; },
    toggleAudio: function (args) { return args.length === 0; },
    toggleVideo: function (args) { return args.length === 0; },
    answerKnockingParticipant: function (args) {
      return args.length === 2 && typeof args[0] === 'string' && args[0].length > 0 &&
        typeof args[1] === 'boolean';
    },
    toggleLobby: function (args) { return args.length === 1 && typeof args[0] === 'boolean'; }
  };

  var TOOLBAR_BUTTONS = [
    'microphone',
    'camera',
    'desktop',
    'chat',
    'raisehand',
    'participants-pane',
    'tileview',
    'security',
    'settings',
    'hangup'
  ];

  var DEFAULT_LOAD_TIMEOUT_MS = 15000;

  var config = readConfig();
  var strings = (config.strings && typeof config.strings === 'object') ? config.strings : {};
  var api = null;
  var ended = false;
  var eventSource = null;
  var httpQueue = null;

  function hasOwn(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function readConfig() {
    var element = document.getElementById('ataraxia-config');

    try {
      var parsed = JSON.parse(element ? element.textContent : '');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return parsed;
      }
    } catch (e) {
      /* fall through: an empty config shows an error below */
    }
    return {};
  }

  function text(key, fallback) {
    return typeof strings[key] === 'string' ? strings[key] : fallback;
  }

  function showStatus(message, isError) {
    var status = document.getElementById('status');
    var line = document.getElementById('status-text');

    if (!status || !line) {
      return;
    }
    line.textContent = message;
    status.className = isError ? 'error' : '';
    status.hidden = false;
  }

  function hideStatus() {
    var status = document.getElementById('status');

    if (status) {
      status.hidden = true;
    }
  }

  /* ---- transport: page → app ---- */

  function webkitHandler() {
    var webkit = window.webkit;

    if (webkit && webkit.messageHandlers && webkit.messageHandlers.ataraxia) {
      return webkit.messageHandlers.ataraxia;
    }
    return null;
  }

  function transportAvailable() {
    if (config.transport === 'webkit') {
      return webkitHandler() !== null;
    }
    if (config.transport === 'http') {
      return typeof window.fetch === 'function' && typeof window.EventSource === 'function' &&
        typeof config.events_url === 'string' && typeof config.commands_url === 'string';
    }
    return false;
  }

  /* The payload as plain JSON data (no functions, no DOM objects); a
   * payload-less event (readyToClose) becomes {}. */
  function plainData(payload) {
    if (payload === undefined || payload === null) {
      return {};
    }
    try {
      var copy = JSON.parse(JSON.stringify(payload));
      return (copy === undefined || copy === null) ? {} : copy;
    } catch (e) {
      return {};
    }
  }

  function post(type, payload) {
    var message = { type: type, data: plainData(payload) };

    if (config.transport === 'webkit') {
      var handler = webkitHandler();
      if (handler) {
        handler.postMessage(message);
      }
      return;
    }

    if (config.transport === 'http') {
      var body = JSON.stringify(message);
      /* One request at a time, so that the app sees the events in order. */
      httpQueue = (httpQueue || Promise.resolve()).then(function () {
        return window.fetch(config.events_url, {
          method: 'POST',
          body: body,
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          referrerPolicy: 'no-referrer',
          cache: 'no-store',
          keepalive: body.length < 32768
        }).catch(function () {
          /* The app is gone or refused it; nothing to do here. */
        });
      });
    }
  }

  /* ---- transport: app → page ---- */

  function runCommand(command) {
    if (typeof command === 'string') {
      try {
        command = JSON.parse(command);
      } catch (e) {
        return false;
      }
    }
    if (!command || typeof command !== 'object' || typeof command.name !== 'string' ||
        !hasOwn(COMMANDS, command.name)) {
      return false;
    }

    var args = command.args === undefined ? [] : command.args;
    if (!Array.isArray(args) || !COMMANDS[command.name](args)) {
      return false;
    }

    if (command.name === 'hangup') {
      return hangup();
    }
    if (!api) {
      return false;
    }
    api.executeCommand.apply(api, [command.name].concat(args));
    return true;
  }

  function hangup() {
    if (api) {
      /* dispose() waits for readyToClose (see onReadyToClose). */
      api.executeCommand('hangup');
      return true;
    }
    /* No call here to hang up (it failed or never started): say so at once,
     * so that the app need not wait for its timeout. */
    if (!ended) {
      post('readyToClose', {});
      finish();
    }
    return true;
  }

  function openCommandStream() {
    eventSource = new window.EventSource(config.commands_url);
    var onCommand = function (event) {
      runCommand(event.data);
    };
    eventSource.addEventListener('message', onCommand);
    eventSource.addEventListener('command', onCommand);
  }

  /* ---- the External API ---- */

  function isLoopbackHost(host) {
    host = host.toLowerCase();
    return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  }

  /* The app computes the URL; this is the same rule in case it did not. */
  function externalApiUrl() {
    if (typeof config.external_api_url === 'string' && config.external_api_url) {
      return config.external_api_url;
    }
    var domain = config.domain;
    var host = domain.charAt(0) === '[' ? domain.slice(1, domain.indexOf(']')) : domain.split(':')[0];
    return (isLoopbackHost(host) ? 'http' : 'https') + '://' + domain + '/external_api.js';
  }

  function loadExternalApi(url, done) {
    var timeout = Number(config.load_timeout_ms) > 0 ? Number(config.load_timeout_ms) : DEFAULT_LOAD_TIMEOUT_MS;
    var finished = false;
    var script = document.createElement('script');
    var timer = null;

    function settle(reason) {
      if (finished) {
        return;
      }
      finished = true;
      window.clearTimeout(timer);
      done(reason);
    }

    timer = window.setTimeout(function () { settle('timeout'); }, timeout);
    script.addEventListener('load', function () {
      settle(typeof window.JitsiMeetExternalAPI === 'function' ? null : 'missing-api');
    });
    script.addEventListener('error', function () { settle('load-error'); });
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  }

  /* The embedded view grants the camera and microphone only (DESIGN.md):
   * screen sharing would be a button that always fails there. The browser
   * asks the therapist itself. */
  function toolbarButtons() {
    return TOOLBAR_BUTTONS.filter(function (name) {
      return name !== 'desktop' || config.transport !== 'webkit';
    });
  }

  function buildOptions() {
    var audioOnly = config.audio_only === true;
    var options = {
      roomName: config.room_name,
      parentNode: document.getElementById('meet'),
      width: '100%',
      height: '100%',
      configOverwrite: {
        startAudioOnly: audioOnly,
        startWithVideoMuted: audioOnly,
        prejoinConfig: { enabled: false },
        disableDeepLinking: true,
        toolbarButtons: toolbarButtons()
      },
      interfaceConfigOverwrite: {
        PROVIDER_NAME: 'Ataraxia'
      }
    };
    var userInfo = {};

    if (typeof config.jwt === 'string' && config.jwt) {
      options.jwt = config.jwt;
    }
    if (typeof config.display_name === 'string' && config.display_name) {
      userInfo.displayName = config.display_name;
    }
    if (typeof config.email === 'string' && config.email) {
      userInfo.email = config.email;
    }
    options.userInfo = userInfo;
    return options;
  }

  function finish() {
    ended = true;
    if (eventSource) {
      eventSource.close();
      eventSource = null;
    }
    showStatus(text('ended', 'The call has ended.'), false);
  }

  function onReadyToClose() {
    var disposing = api;

    api = null;
    if (disposing) {
      disposing.dispose();
    }
    finish();
  }

  function listen(name) {
    api.addListener(name, function (payload) {
      if (ended) {
        return;
      }
      post(name, payload);
      if (name === 'readyToClose') {
        onReadyToClose();
      }
    });
  }

  function construct() {
    try {
      api = new window.JitsiMeetExternalAPI(config.domain, buildOptions());
    } catch (e) {
      api = null;
      post('externalApiLoadFailed', { url: externalApiUrl(), reason: 'constructor-failed' });
      showStatus(text('load_failed', 'The video call server could not be reached.'), true);
      return;
    }
    /* Listeners go on at once: the API's own events arrive asynchronously
     * from its iframe, so none is missed. */
    FORWARDED_EVENTS.forEach(listen);
    hideStatus();
  }

  function start() {
    if (typeof config.domain !== 'string' || !config.domain ||
        typeof config.room_name !== 'string' || !config.room_name) {
      showStatus(text('load_failed', 'The video call server could not be reached.'), true);
      return;
    }
    if (!transportAvailable()) {
      showStatus(text('no_transport', 'This page cannot reach Ataraxia.'), true);
      return;
    }

    showStatus(text('connecting', 'Connecting to the call…'), false);
    if (config.transport === 'http') {
      openCommandStream();
    }

    if (config.skip_webrtc_check !== true && typeof RTCPeerConnection === 'undefined') {
      post('browserSupport', { supported: false });
      showStatus(text('unsupported', 'This browser cannot make video calls.'), true);
      return;
    }

    var url = externalApiUrl();
    loadExternalApi(url, function (failure) {
      if (ended) {
        return;
      }
      if (failure) {
        post('externalApiLoadFailed', { url: url, reason: failure });
        showStatus(text('load_failed', 'The video call server could not be reached.'), true);
        return;
      }
      construct();
    });
  }

  window.ataraxiaCommand = runCommand;

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
