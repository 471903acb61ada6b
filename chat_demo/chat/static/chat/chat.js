// chat_demo's page: one WebSocket for the room, one for the mentions. Plain JavaScript,
// no build step. Every message is shown with textContent: a message is text, never HTML.
const room = JSON.parse(document.getElementById("room-name").textContent);
const base = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`;
const messages = document.getElementById("messages");
const statusLine = document.getElementById("status");
let lastSeq = 0; // the room's messages are numbered 1, 2, 3 ...: all up to here are shown
let catchingUp = false;
let socket = null;

function show(frame) {
  if (frame.seq !== lastSeq + 1) return false; // shown already, or one is missing before it
  lastSeq = frame.seq;
  const item = document.createElement("li");
  item.dataset.seq = frame.seq;
  item.textContent = `${frame.user}: ${frame.message}`;
  messages.append(item);
  return true;
}

// The database is the truth. On opening: the latest page. After that, whatever the live
// feed skipped (a dropped connection, a full channel): ?after=<the last number shown>.
async function catchUp() {
  if (catchingUp) return;
  catchingUp = true;
  let url = `/api/rooms/${room}/messages/` + (lastSeq ? `?after=${lastSeq}` : "");
  while (url) {
    const page = await (await fetch(url)).json();
    if (!lastSeq && page.results.length) lastSeq = page.results[0].seq - 1;
    page.results.forEach(show);
    url = page.next;
  }
  catchingUp = false;
}

function connect() {
  socket = new WebSocket(`${base}/ws/chat/${room}/`);
  socket.onopen = () => { statusLine.textContent = "connected"; catchUp(); };
  socket.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.errors) statusLine.textContent = JSON.stringify(frame.errors);
    else if (frame.seq > lastSeq + 1) catchUp(); // a gap: the history has the missing ones
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
