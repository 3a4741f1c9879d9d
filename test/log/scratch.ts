import { Elysia } from "elysia";
const app = new Elysia()
  .onError({ as: "global" }, ({ error, code }) => new Response(JSON.stringify({ e: String(code) }), { status: (error as {status?:number}).status ?? (code === "NOT_FOUND" ? 404 : 500), headers: { "content-type": "x/err" } }))
  .onRequest(({ request, set, store }) => { set.headers["x-request-id"] = "rid-1"; (request as unknown as {t:number}).t = performance.now(); })
  .mapResponse({ as: "global" }, (ctx) => { console.log("mapResponse", ctx.request.url, ctx.set.status, ctx.responseValue instanceof Response ? "Response" : typeof ctx.responseValue); })
  .onAfterResponse({ as: "global" }, (ctx) => { const r = (ctx as {responseValue?: unknown}).responseValue; console.log("after", (ctx as {code?: unknown}).code, ctx.request.url, ctx.set.status, r instanceof Response ? `Response ${r.status} used=${r.bodyUsed}` : typeof r, (ctx as {response?: unknown}).response instanceof Response ? "resp " + ((ctx as {response: Response}).response.status) : "noresp"); })
  .use(new Elysia({ prefix: "/g" }).onBeforeHandle(() => { throw Object.assign(new Error("nope"), { status: 401 }); }).get("/x", () => "hi"))
  .get("/ok", () => new Response("ok", { status: 201, headers: { a: "b" } }))
  .get("/plain", () => ({ a: 1 }))
  .get("/boom", () => { throw new Error("boom"); })
  .post("/p", async ({ request }) => { return await request.text(); });
for (const [m, p] of [["GET", "/g/x"], ["GET", "/ok"], ["GET", "/plain"], ["GET", "/boom"], ["GET", "/missing"], ["POST", "/p"]]) {
  const res = await app.handle(new Request("http://scimd.test" + p, { method: m, body: m === "POST" ? "body!" : undefined }));
  console.log(p, res.status, res.headers.get("x-request-id"), await res.text());
}
await new Promise(r => setTimeout(r, 50));
