// chat_demo's page: one WebSocket for the room, one for the mentions. Plain JavaScript,
// no build step. Every message is shown with textContent: a message is text, never HTML.
const room = JSON.parse(document.getElementById("room-name").textContent);
const base = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`;
const messages = document.getElementById("messages");
const statusLine = document.getElementById("status");
let lastId = 0; // the newest message shown: history and the live feed may overlap
let socket = null;

function show(frame) {
  if (frame.id <= lastId) return;
  lastId = frame.id;
  const item = document.createElement("li");
  item.dataset.id = frame.id;
  item.textContent = `${frame.user}: ${frame.message}`;
  messages.append(item);
}

// The database is the truth: on every (re)connection, fetch what the live feed may have
// missed (a dropped connection, a full channel) with ?after=<the last id shown>.
async function catchUp() {
  let url = `/api/rooms/${room}/messages/` + (lastId ? `?after=${lastId}` : "");
  while (url) {
    const page = await (await fetch(url)).json();
    page.results.forEach(show);
    url = url.includes("after=") ? page.next : null;
  }
}

function connect() {
  socket = new WebSocket(`${base}/ws/chat/${room}/`);
  socket.onopen = () => { statusLine.textContent = "connected"; catchUp(); };
  socket.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.errors) statusLine.textContent = JSON.stringify(frame.errors);
    else show(frame);
  };
  // 4000-4999: the server refused (chat/closing.py), so do not retry; anything else: retry.
  socket.onclose = (event) => {
    statusLine.textContent = `closed (code ${event.code})`;
    if (event.code < 4000) setTimeout(connect, 1000);
  };
}

function listenForMentions() {
  const feed = new WebSocket(`${base}/ws/notifications/`);
  feed.onmessage = (event) => {
    const mention = JSON.parse(event.data);
    const item = document.createElement("li");
    item.textContent = `${mention.from} in #${mention.room}: ${mention.message}`;
    document.getElementById("mentions").append(item);
  };
}

document.getElementById("send").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  if (input.value.trim() && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ message: input.value }));
    input.value = "";
  }
});

connect();
listenForMentions();
