import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// The GraphiQL page a browser gets from `GET /graphql` when the console is on: GraphiQL and React
/// from unpkg.com, pinned and checked by subresource integrity; the page itself — a token field
/// kept in the browser's storage, the fetcher for queries and mutations over HTTP and for
/// subscriptions over `graphql-transport-ws` — is Strata's own.
enum ConsolePage {
    /// Whether `request` is a browser asking for a page: a GET naming no operation, accepting HTML.
    static func isWanted(_ request: IncomingRequest) -> Bool {
        guard let accept = request.fields.accept?.lowercased(), accept.contains("text/html") else { return false }
        let parameters = FormParameters.parse(request.query ?? "") ?? [:]
        return parameters["query"] == nil && parameters["documentId"] == nil && parameters["extensions"] == nil
    }

    static func response() -> OutgoingResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
        headers.add(name: "Content-Security-Policy", value: contentSecurityPolicy)
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        headers.add(name: "Referrer-Policy", value: "no-referrer")
        headers.add(name: "Cache-Control", value: "no-cache")
        return OutgoingResponse(status: .ok, headers: headers, body: ByteBuffer(string: html))
    }

    /// Scripts only from unpkg.com and the page's own inline script (by its hash); requests only
    /// to this server, over HTTP and WebSocket; no framing.
    static let contentSecurityPolicy = [
        "default-src 'none'",
        "script-src https://unpkg.com 'sha256-\(Data(SHA256.hash(data: Data(script.utf8))).base64EncodedString())'",
        "style-src https://unpkg.com 'unsafe-inline'",
        "font-src https://unpkg.com data:",
        "img-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// The pinned assets, with their SHA-384 digests as published for those versions.
    static let assets = """
            <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css" integrity="sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM" crossorigin="anonymous">
            <script src="https://unpkg.com/react@18.2.0/umd/react.production.min.js" integrity="sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8" crossorigin="anonymous"></script>
            <script src="https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js" integrity="sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh" crossorigin="anonymous"></script>
            <script src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js" integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie" crossorigin="anonymous"></script>
        """

    /// The page's own script: the token field, the fetcher, GraphiQL's start.
    static let script = #"""
        const endpoint = new URL(location.pathname, location.href).href;
        const socketURL = endpoint.replace(/^http/, 'ws');
        const tokenField = document.getElementById('token');
        tokenField.value = localStorage.getItem('strata.token') || '';
        const authorization = () => tokenField.value.trim() ? { Authorization: 'Bearer ' + tokenField.value.trim() } : {};

        function isSubscription({ query, operationName }) {
          const source = query.replace(/#[^\n]*/g, '');
          if (operationName) return new RegExp('\\bsubscription\\s+' + operationName + '\\b').test(source);
          return /^\s*subscription\b/.test(source);
        }

        // One graphql-transport-ws connection per subscription; each `next` payload is a result.
        function subscribe(params) {
          const results = [];
          let wake = null, finished = false;
          const settle = () => { if (wake) { wake(); wake = null; } };
          const socket = new WebSocket(socketURL, 'graphql-transport-ws');
          socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: authorization() }));
          socket.onmessage = (event) => {
            const message = JSON.parse(event.data);
            if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: params }));
            else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
            else if (message.type === 'next') results.push(message.payload);
            else if (message.type === 'error') { results.push({ errors: message.payload }); finished = true; socket.close(1000); }
            else if (message.type === 'complete') { finished = true; socket.close(1000); }
            settle();
          };
          socket.onclose = (event) => {
            if (!finished && event.code !== 1000) {
              results.push({ errors: [{ message: 'The connection closed (' + event.code + (event.reason ? ': ' + event.reason : '') + ').' }] });
            }
            finished = true;
            settle();
          };
          return {
            [Symbol.asyncIterator]() { return this; },
            async next() {
              while (!results.length && !finished) await new Promise((resolve) => { wake = resolve; });
              return results.length ? { value: results.shift(), done: false } : { value: undefined, done: true };
            },
            async return() {
              if (!finished && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id: '1', type: 'complete' }));
              finished = true;
              socket.close(1000);
              return { value: undefined, done: true };
            },
          };
        }

        async function fetcher(params) {
          if (isSubscription(params)) return subscribe(params);
          const response = await fetch(endpoint, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json', ...authorization() },
            body: JSON.stringify(params),
          });
          return response.json();
        }

        function start() {
          const host = document.getElementById('graphiql');
          if (!window.GraphiQL || !window.React || !window.ReactDOM) {
            host.textContent = "GraphiQL's scripts could not be loaded from unpkg.com. The API itself answers POST " + endpoint + '.';
            return;
          }
          const root = ReactDOM.createRoot(host);
          const render = () => root.render(React.createElement(GraphiQL, { fetcher, key: tokenField.value.trim(), defaultEditorToolsVisibility: true }));
          tokenField.addEventListener('change', () => { localStorage.setItem('strata.token', tokenField.value.trim()); render(); });
          render();
        }
        start();
        """#

    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Strata · GraphiQL</title>
        \(assets)
        <style>
          html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
          body { display: flex; flex-direction: column; }
          header { display: flex; align-items: center; gap: 12px; padding: 8px 16px; background: #1f2430; color: #f5f5f5; }
          header strong { font-size: 15px; letter-spacing: 0.04em; }
          header label { display: flex; flex: 1; align-items: center; gap: 8px; font-size: 13px; }
          header input { flex: 1; max-width: 720px; padding: 5px 8px; border-radius: 4px; border: 1px solid #555; background: #2b3140; color: inherit; font-family: ui-monospace, monospace; }
          #graphiql { flex: 1; min-height: 0; }
          #graphiql:not(:has(*)) { padding: 24px; color: #555; }
        </style>
        </head>
        <body>
        <header>
          <strong>STRATA</strong>
          <label for="token">Token <input id="token" type="password" autocomplete="off" spellcheck="false" placeholder="a JWT, as strata token prints it; kept in this browser"></label>
        </header>
        <main id="graphiql">Loading GraphiQL…</main>
        <script>\(script)</script>
        </body>
        </html>

        """
}
