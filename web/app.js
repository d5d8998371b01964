// The chat widget: sign in (development sign-in, or a token given by the host page),
// connect over socket.io with the token, show the conversation and quick answers.
// Every message is shown as text (textContent), never as markup.
"use strict";

(function () {
  const TOKEN_KEY = "supervision.signin";
  const $ = (id) => document.getElementById(id);
  const state = {
    config: { dev_signin: false, max_message_chars: 20000, socketio_path: "/socket.io" },
    signin: null, // {token, expires_at, name, role}
    socket: null,
    ready: false, // connected and the conversation so far drawn
    quickReplies: [],
    thinkingTimer: null,
  };

  // --- storage: the token lives in this tab only (sessionStorage survives a reload) ----

  function saveSignin(signin) {
    state.signin = signin;
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(signin));
  }

  function loadSignin() {
    try {
      const signin = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null");
      if (signin && typeof signin.token === "string" && !expired(signin)) return signin;
    } catch (error) {
      // A damaged entry is the same as none.
    }
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }

  function expired(signin) {
    return !signin || (signin.expires_at && signin.expires_at * 1000 <= Date.now());
  }

  async function getJSON(url, options) {
    const response = await fetch(url, Object.assign({ credentials: "same-origin" }, options));
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    return { ok: response.ok, status: response.status, body: body };
  }

  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function setText(id, text) {
    $(id).textContent = text || "";
  }

  // --- sign-in -----------------------------------------------------------------------

  async function showSignin(message) {
    show("chat", false);
    show("who", false);
    show("loading", false);
    show("signin", true);
    setText("signin-message", message);
    if (!state.config.dev_signin) {
      show("dev-signin", false);
      show("org-signin", true);
      return;
    }
    show("org-signin", false);
    show("dev-signin", true);
    const select = $("person");
    select.replaceChildren();
    const result = await getJSON("/chat/api/people");
    const people = (result.body && result.body.people) || [];
    if (!result.ok) {
      setText("signin-message", (result.body && result.body.message) || "Sign-in is not available.");
    } else if (people.length === 0) {
      setText(
        "signin-message",
        "No one can sign in yet: add a person to the database first (see the README)."
      );
    }
    for (const person of people) {
      const option = document.createElement("option");
      option.value = person.id;
      option.textContent = person.name + " (" + person.role + ")";
      select.appendChild(option);
    }
    $("signin-button").disabled = people.length === 0;
    select.focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const personId = $("person").value;
    if (!personId) return;
    $("signin-button").disabled = true;
    const result = await getJSON("/chat/api/signin", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ person_id: personId }),
    });
    $("signin-button").disabled = false;
    if (!result.ok || !result.body || !result.body.token) {
      setText("signin-message", (result.body && result.body.message) || "Could not sign in.");
      return;
    }
    saveSignin({
      token: result.body.token,
      expires_at: result.body.expires_at,
      name: result.body.name,
      role: result.body.role,
    });
    startChat();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.signin = null;
    if (state.socket) {
      state.socket.disconnect();
      state.socket = null;
    }
    $("log").replaceChildren();
    setQuickReplies([]);
    showSignin(message);
  }

  // --- the conversation --------------------------------------------------------------

  function status(text) {
    setText("connection", text);
  }

  function thinking(on) {
    clearTimeout(state.thinkingTimer);
    show("thinking", on);
    if (on) state.thinkingTimer = setTimeout(() => show("thinking", false), 20000);
  }

  function addMessage(kind, text) {
    const item = document.createElement("div");
    item.className = "msg " + kind;
    const who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = kind === "user" ? "You said: " : kind === "bot" ? "Assistant: " : "Note: ";
    const body = document.createElement("p");
    body.textContent = text;
    item.append(who, body);
    $("log").appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function setQuickReplies(replies) {
    state.quickReplies = Array.isArray(replies) ? replies : [];
    const box = $("quick-replies");
    box.replaceChildren();
    for (const reply of state.quickReplies) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "reply";
      button.textContent = reply.title;
      button.addEventListener("click", () => send(reply.payload, reply.title));
      box.appendChild(button);
    }
  }

  function displayText(text) {
    const reply = state.quickReplies.find((r) => r.payload === text);
    return reply ? reply.title : text;
  }

  function showBot(message) {
    if (!message || typeof message.text !== "string") return;
    if (message.notice) {
      addMessage("notice", message.text);
    } else if (message.text) {
      addMessage("bot", message.text);
    }
    if (message.quick_replies) setQuickReplies(message.quick_replies);
  }

  function renderHistory(messages) {
    $("log").replaceChildren();
    let replies = [];
    for (const message of messages || []) {
      if (message.from === "user") {
        addMessage("user", message.text);
        replies = [];
      } else {
        if (message.text) addMessage("bot", message.text);
        replies = message.quick_replies || [];
      }
    }
    setQuickReplies(replies);
  }

  function send(text, shown) {
    if (!text || !text.trim()) return false;
    if (expired(state.signin)) {
      signOut("Your sign-in has run out. Please sign in again; your answers so far are saved.");
      return false;
    }
    if (!state.socket || !state.socket.connected || !state.ready) {
      status("Not connected just now, so that was not sent. Please try again in a moment.");
      return false;
    }
    addMessage("user", shown || text);
    setQuickReplies([]);
    state.socket.emit("user_uttered", { message: text, token: state.signin.token });
    thinking(true);
    return true;
  }

  function startChat() {
    state.signin = state.signin || loadSignin();
    if (!state.signin) {
      showSignin("");
      return;
    }
    show("loading", false);
    show("signin", false);
    show("chat", true);
    show("who", true);
    setText("who-name", state.signin.name || "you");
    $("message").maxLength = state.config.max_message_chars;
    status("Connecting…");
    if (state.socket) state.socket.disconnect();
    state.ready = false;

    const socket = io({
      path: state.config.socketio_path,
      transports: ["websocket"],
      auth: (callback) => callback({ token: state.signin ? state.signin.token : "" }),
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    state.socket = socket;

    socket.on("connect", () => {
      // The conversation so far is drawn first; only then can the user write, so that
      // nothing they send is drawn over.
      status("Loading your conversation…");
      socket
        .timeout(15000)
        .emit("history_request", { token: state.signin.token }, (error, answer) => {
          if (!error && answer && Array.isArray(answer.messages)) renderHistory(answer.messages);
          state.ready = true;
          status("Connected.");
        });
    });
    socket.on("disconnect", (reason) => {
      state.ready = false;
      thinking(false);
      if (reason !== "io client disconnect") status("Connection lost. Reconnecting…");
    });
    socket.on("connect_error", (error) => {
      if (error && error.data && error.data.reason) {
        signOut(error.data.message || "Please sign in again.");
      } else {
        status("Can't reach the assistant just now. Trying again…");
      }
    });
    socket.on("auth_error", (error) => signOut((error && error.message) || "Please sign in again."));
    socket.on("bot_uttered", (message) => {
      thinking(false);
      showBot(message);
    });
    socket.on("user_echo", (message) => {
      if (message && typeof message.text === "string") {
        addMessage("user", displayText(message.text));
        setQuickReplies([]);
      }
    });
    $("message").focus();
  }

  function onComposerSubmit(event) {
    event.preventDefault();
    const box = $("message");
    if (send(box.value)) box.value = "";
    box.focus();
  }

  function onMessageKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  }

  async function main() {
    $("signin-form").addEventListener("submit", signIn);
    $("composer").addEventListener("submit", onComposerSubmit);
    $("message").addEventListener("keydown", onMessageKey);
    $("signout").addEventListener("click", () => signOut("You have signed out."));
    const result = await getJSON("/chat/api/config");
    if (result.ok && result.body) state.config = Object.assign(state.config, result.body);
    // A host page (signed in with the organisation's identity provider) may hand over a
    // token: SupervisionChat.start({token, expires_at, name}).
    window.SupervisionChat = {
      start: (signin) => {
        saveSignin(signin);
        startChat();
      },
    };
    if (loadSignin()) {
      startChat();
    } else {
      showSignin("");
    }
  }

  document.addEventListener("DOMContentLoaded", main);
})();
