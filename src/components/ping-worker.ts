// Smoke-test worker: echoes every message back with a prefix, so the start page
// can show that module workers load from the built site.
self.onmessage = (event: MessageEvent<string>) => {
  self.postMessage(`pong: ${event.data}`);
};
