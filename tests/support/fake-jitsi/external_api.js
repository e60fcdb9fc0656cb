/* external_api.js — the test stub served in place of a Jitsi server's
 * External API (tests/support/atx-fake-jitsi.c serves it).
 *
 * It behaves like the real JitsiMeetExternalAPI as described in
 * shared/JITSI-EXTERNAL-API.md, as far as the call page can tell:
 * - new JitsiMeetExternalAPI(domain, options): options-object form only; a
 *   non-object second argument is treated like the real destructuring does
 *   (every option takes its default: empty room name, no error).
 * - It appends an iframe (id/name jitsiConferenceFrame<N>, the real allow
 *   list) to options.parentNode (default document.body) whose src is the
 *   room URL: http://<domain>/<roomName> for a loopback host (the real API
 *   always uses https), ?jwt=… and #jitsi_meet_external_api_id=N as the
 *   real builder does.
 * - Asynchronously after construction it emits browserSupport
 *   {supported: true} (configurable) and then ready {}, and calls onload.
 * - addListener/on/addEventListener/addEventListeners/once, removeListener/
 *   off/removeEventListener (all listeners of a name)/removeEventListeners/
 *   removeAllListeners, emit.
 * - executeCommand(name, ...args): an unknown name → console.error('Not
 *   supported command name.') and nothing else; a known one is recorded.
 *   hangup → videoConferenceLeft {roomName} then readyToClose {} (unless the
 *   test turned that off); toggleAudio/toggleVideo → the mute status event.
 *   executeCommands({name: arg}).
 * - dispose(): _willDispose, recorded, listeners and iframe removed.
 * - getNumberOfParticipants(), getIFrame(), isAudioMuted(), isVideoMuted(),
 *   getSupportedCommands(), getSupportedEvents().
 *
 * Control channel (the C test drives the stub whatever the page's
 * transport): a hidden iframe http://<fake>/__fake/control, same-origin with
 * the fake server, POSTs our records to /__fake/record and relays the cues
 * of /__fake/cues (Server-Sent Events) back with postMessage. Going through
 * an iframe keeps the page's CSP (connect-src) out of the way; if the frame
 * has not answered within 3 s the stub talks to the server directly (CORS).
 * Each cue {id, event, payload} is emitted as that event on every live
 * instance.
 */
(function () {
  'use strict';

  var SETTINGS = window.__atxFakeJitsiSettings || {};
  var BASE = new URL(document.currentScript.src).origin;
  var FALLBACK_AFTER_MS = 3000;

  var COMMANDS = [
    'answerKnockingParticipant', 'approveVideo', 'askToUnmute', 'avatarUrl', 'cancelPrivateChat',
    'displayName', 'e2eeKey', 'email', 'endConference', 'grantModerator', 'hangup',
    'hideNotification', 'initiatePrivateChat', 'joinBreakoutRoom', 'kickParticipant',
    'localSubject', 'muteEveryone', 'muteRemoteParticipant', 'overwriteConfig',
    'overwriteNames', 'password', 'pinParticipant', 'rejectParticipant', 'resizeFilmStrip',
    'resizeLargeVideo', 'sendCameraFacingMode', 'sendChatMessage', 'sendEndpointTextMessage',
    'sendTones', 'setAssumedBandwidthBps', 'setAudioOnly', 'setBlurredBackground',
    'setFollowMe', 'setLargeVideoParticipant', 'setNoiseSuppressionEnabled',
    'setParticipantVolume', 'setSubtitles', 'setTileView', 'setVideoQuality',
    'showNotification', 'startRecording', 'startShareVideo', 'stopRecording',
    'stopShareVideo', 'subject', 'submitFeedback', 'toggleAudio', 'toggleCamera',
    'toggleCameraMirror', 'toggleChat', 'toggleE2EE', 'toggleFilmStrip', 'toggleLobby',
    'toggleModeration', 'toggleNoiseSuppression', 'toggleParticipantsPane', 'toggleRaiseHand',
    'toggleShareScreen', 'toggleSubtitles', 'toggleTileView', 'toggleVirtualBackgroundDialog',
    'toggleVideo', 'toggleWhiteboard'
  ];

  var EVENTS = [
    'audioAvailabilityChanged', 'audioMuteStatusChanged', 'browserSupport', 'cameraError',
    'errorOccurred', 'knockingParticipant', 'micError', 'participantJoined', 'participantLeft',
    'participantRoleChanged', 'passwordRequired', 'readyToClose', 'ready',
    'videoConferenceJoined', 'videoConferenceLeft', 'videoMuteStatusChanged'
  ];

  var IFRAME_ALLOW = 'autoplay; camera; clipboard-write; compute-pressure; display-capture; ' +
    'fullscreen; hid; microphone; screen-wake-lock; speaker-selection';

  var instanceCounter = 0;
  var instances = [];
  var control = null;
  var seenCues = {};

  /* ---- control channel ---- */

  function ensureControl() {
    if (control) {
      return control;
    }
    var frame = document.createElement('iframe');
    frame.src = BASE + '/__fake/control';
    frame.title = 'fake Jitsi control';
    frame.setAttribute('aria-hidden', 'true');
    frame.style.display = 'none';
    control = { frame: frame, mode: null, queue: [], chain: Promise.resolve(), source: null };
    window.addEventListener('message', onControlMessage);
    (document.body || document.documentElement).appendChild(frame);
    window.setTimeout(function () {
      if (!control.mode) {
        useDirect();
      }
    }, FALLBACK_AFTER_MS);
    return control;
  }

  function flushQueue() {
    var queued = control.queue;
    control.queue = [];
    queued.forEach(sendRecord);
  }

  function useDirect() {
    control.mode = 'direct';
    control.source = new window.EventSource(BASE + '/__fake/cues');
    control.source.addEventListener('message', function (event) {
      try {
        deliverCue(JSON.parse(event.data));
      } catch (e) {
        /* not ours */
      }
    });
    flushQueue();
  }

  function onControlMessage(event) {
    if (!control || event.origin !== BASE || event.source !== control.frame.contentWindow) {
      return;
    }
    var message = event.data;
    if (!message || typeof message !== 'object') {
      return;
    }
    if (message.atxFake === 'hello') {
      if (control.mode === 'direct' && control.source) {
        control.source.close();
        control.source = null;
      }
      control.mode = 'frame';
      flushQueue();
    } else if (message.atxFake === 'cue') {
      deliverCue(message.cue);
    }
  }

  function sendRecord(record) {
    if (control.mode === 'frame') {
      control.frame.contentWindow.postMessage({ atxFake: 'record', record: record }, BASE);
    } else if (control.mode === 'direct') {
      var body = JSON.stringify(record);
      control.chain = control.chain.then(function () {
        return window.fetch(BASE + '/__fake/record', {
          method: 'POST', mode: 'cors', body: body, headers: { 'Content-Type': 'text/plain' }
        }).catch(function () {});
      });
    } else {
      control.queue.push(record);
    }
  }

  function record(rec) {
    ensureControl();
    sendRecord(rec);
  }

  function deliverCue(cue) {
    if (!cue || typeof cue !== 'object' || typeof cue.event !== 'string') {
      return;
    }
    if (cue.id !== undefined) {
      if (seenCues[cue.id]) {
        return;
      }
      seenCues[cue.id] = true;
    }
    instances.slice().forEach(function (api) {
      api.emit(cue.event, cue.payload === undefined ? {} : cue.payload);
    });
  }

  /* ---- helpers ---- */

  function isLoopbackHost(host) {
    host = host.toLowerCase();
    return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  }

  function hostOf(domain) {
    if (domain.charAt(0) === '[') {
      return domain.slice(1, domain.indexOf(']'));
    }
    return domain.split(/[:/]/)[0];
  }

  /* The options as plain JSON: DOM nodes as {node, id}, functions as a mark. */
  function describeOptions(options) {
    if (!options || typeof options !== 'object') {
      return {};
    }
    return JSON.parse(JSON.stringify(options, function (key, value) {
      if (value && typeof value === 'object' && typeof Node !== 'undefined' && value instanceof Node) {
        return { node: value.nodeName.toLowerCase(), id: value.id || null };
      }
      if (typeof value === 'function') {
        return '[function]';
      }
      return value;
    }));
  }

  function cssSize(value) {
    if (typeof value === 'number') {
      return value + 'px';
    }
    if (typeof value === 'string' && /^\d+(\.\d+)?(px|em|pt|%|vh|vw|dvh|lvh|svh|dvw|lvw|svw)$/.test(value)) {
      return value;
    }
    return undefined;
  }

  function backendSafeRoomName(name) {
    try {
      return encodeURIComponent(String(name).normalize('NFKC').toLowerCase());
    } catch (e) {
      return String(name);
    }
  }

  /* ---- the API ---- */

  function JitsiMeetExternalAPI(domain, options) {
    if (!(this instanceof JitsiMeetExternalAPI)) {
      throw new TypeError("Class constructor JitsiMeetExternalAPI cannot be invoked without 'new'");
    }
    /* Destructuring a string (or anything but an object) gives defaults. */
    var opts = (options && typeof options === 'object') ? options : {};
    var configOverwrite = (opts.configOverwrite && typeof opts.configOverwrite === 'object') ? opts.configOverwrite : {};
    var self = this;

    this._id = instanceCounter++;
    this._domain = String(domain);
    this._roomName = opts.roomName === undefined ? '' : String(opts.roomName);
    this._jwt = opts.jwt;
    this._listeners = {};
    this._participants = 0;
    this._audioMuted = configOverwrite.startWithAudioMuted === true;
    this._videoMuted = configOverwrite.startWithVideoMuted === true || configOverwrite.startAudioOnly === true;
    this._disposed = false;
    this._onload = opts.onload;
    this._frame = this._createIFrame(opts);
    instances.push(this);

    record({
      kind: 'constructed',
      at: performance.timeOrigin + performance.now(),
      instance: this._id,
      domain: domain,
      optionsType: options === null ? 'null' : typeof options,
      options: describeOptions(options),
      iframeSrc: this._frame.src
    });

    window.setTimeout(function () {
      if (self._disposed) {
        return;
      }
      self.emit('browserSupport', { supported: SETTINGS.browser_supported !== false });
      self.emit('ready', {});
      if (typeof self._onload === 'function') {
        self._onload();
      }
    }, 0);
  }

  JitsiMeetExternalAPI.prototype._createIFrame = function (opts) {
    var frame = document.createElement('iframe');
    var parent = opts.parentNode || document.body;
    var scheme = isLoopbackHost(hostOf(this._domain)) ? 'http' : 'https';
    var url = scheme + '://' + this._domain + '/' + this._roomName;
    var width = cssSize(opts.width === undefined ? '100%' : opts.width);
    var height = cssSize(opts.height === undefined ? '100%' : opts.height);

    if (typeof this._jwt === 'string' && this._jwt) {
      url += '?jwt=' + encodeURIComponent(this._jwt);
    }
    url += '#jitsi_meet_external_api_id=' + this._id;

    frame.id = 'jitsiConferenceFrame' + this._id;
    frame.name = frame.id;
    frame.allow = IFRAME_ALLOW;
    frame.setAttribute('allowFullScreen', 'true');
    frame.style.border = 0;
    if (width) {
      frame.style.width = width;
    }
    if (height) {
      frame.style.height = height;
    }
    frame.src = url;
    parent.appendChild(frame);
    return frame;
  };

  JitsiMeetExternalAPI.prototype.emit = function (name, payload) {
    if (this._disposed && name !== '_willDispose') {
      return false;
    }
    if (name === 'videoConferenceJoined' || name === 'participantJoined') {
      this._participants++;
    } else if (name === 'participantLeft' || name === 'videoConferenceLeft') {
      this._participants = Math.max(0, this._participants - 1);
    } else if (name === 'audioMuteStatusChanged' && payload && typeof payload.muted === 'boolean') {
      this._audioMuted = payload.muted;
    } else if (name === 'videoMuteStatusChanged' && payload && typeof payload.muted === 'boolean') {
      this._videoMuted = payload.muted;
    }

    var listeners = (this._listeners[name] || []).slice();
    listeners.forEach(function (entry) {
      if (entry.once) {
        this.removeListener(name, entry.fn);
      }
      try {
        entry.fn(payload);
      } catch (e) {
        window.setTimeout(function () { throw e; }, 0);
      }
    }, this);
    return listeners.length > 0;
  };

  JitsiMeetExternalAPI.prototype.addListener = function (name, fn, once) {
    if (typeof fn !== 'function') {
      throw new TypeError('The "listener" argument must be of type Function');
    }
    (this._listeners[name] = this._listeners[name] || []).push({ fn: fn, once: once === true });
    return this;
  };
  JitsiMeetExternalAPI.prototype.on = function (name, fn) {
    return this.addListener(name, fn);
  };
  JitsiMeetExternalAPI.prototype.once = function (name, fn) {
    return this.addListener(name, fn, true);
  };
  JitsiMeetExternalAPI.prototype.addEventListener = function (name, fn) {
    return this.addListener(name, fn);
  };
  JitsiMeetExternalAPI.prototype.addEventListeners = function (map) {
    Object.keys(map || {}).forEach(function (name) {
      this.addListener(name, map[name]);
    }, this);
  };
  JitsiMeetExternalAPI.prototype.removeListener = function (name, fn) {
    var list = this._listeners[name] || [];
    for (var i = list.length - 1; i >= 0; i--) {
      if (list[i].fn === fn) {
        list.splice(i, 1);
        break;
      }
    }
    return this;
  };
  JitsiMeetExternalAPI.prototype.off = function (name, fn) {
    return this.removeListener(name, fn);
  };
  JitsiMeetExternalAPI.prototype.removeEventListener = function (name) {
    delete this._listeners[name];
  };
  JitsiMeetExternalAPI.prototype.removeEventListeners = function (names) {
    (names || []).forEach(function (name) {
      this.removeEventListener(name);
    }, this);
  };
  JitsiMeetExternalAPI.prototype.removeAllListeners = function (name) {
    if (name === undefined) {
      this._listeners = {};
    } else {
      delete this._listeners[name];
    }
    return this;
  };
  JitsiMeetExternalAPI.prototype.listenerCount = function (name) {
    return (this._listeners[name] || []).length;
  };

  JitsiMeetExternalAPI.prototype.executeCommand = function (name) {
    var args = Array.prototype.slice.call(arguments, 1);
    var self = this;

    if (COMMANDS.indexOf(name) < 0) {
      console.error('Not supported command name.');
      return;
    }
    if (this._disposed) {
      return;
    }
    record({ kind: 'command', instance: this._id, name: name, args: JSON.parse(JSON.stringify(args)) });

    if (name === 'hangup' && SETTINGS.hangup_closes !== false) {
      window.setTimeout(function () {
        self.emit('videoConferenceLeft', { roomName: backendSafeRoomName(self._roomName) });
        self.emit('readyToClose', {});
      }, 10);
    } else if (name === 'toggleAudio' && SETTINGS.toggles_emit !== false) {
      window.setTimeout(function () {
        self.emit('audioMuteStatusChanged', { muted: !self._audioMuted });
      }, 10);
    } else if (name === 'toggleVideo' && SETTINGS.toggles_emit !== false) {
      window.setTimeout(function () {
        self.emit('videoMuteStatusChanged', { muted: !self._videoMuted });
      }, 10);
    }
  };

  JitsiMeetExternalAPI.prototype.executeCommands = function (map) {
    Object.keys(map || {}).forEach(function (name) {
      this.executeCommand(name, map[name]);
    }, this);
  };

  JitsiMeetExternalAPI.prototype.dispose = function () {
    if (this._disposed) {
      return;
    }
    this.emit('_willDispose');
    record({ kind: 'disposed', instance: this._id });
    this._disposed = true;
    this._listeners = {};
    if (this._frame && this._frame.parentNode) {
      this._frame.parentNode.removeChild(this._frame);
    }
    var index = instances.indexOf(this);
    if (index >= 0) {
      instances.splice(index, 1);
    }
  };

  JitsiMeetExternalAPI.prototype.getNumberOfParticipants = function () {
    return this._participants;
  };
  JitsiMeetExternalAPI.prototype.getIFrame = function () {
    return this._frame;
  };
  JitsiMeetExternalAPI.prototype.isAudioMuted = function () {
    return Promise.resolve(this._audioMuted);
  };
  JitsiMeetExternalAPI.prototype.isVideoMuted = function () {
    return Promise.resolve(this._videoMuted);
  };
  JitsiMeetExternalAPI.prototype.getSupportedCommands = function () {
    return COMMANDS.slice();
  };
  JitsiMeetExternalAPI.prototype.getSupportedEvents = function () {
    return EVENTS.slice();
  };

  window.JitsiMeetExternalAPI = JitsiMeetExternalAPI;
}());
