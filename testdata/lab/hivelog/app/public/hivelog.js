// the hive map: JSON-RPC to /rpc (apiary_map, hive_weights)
async function rpc(method, params) {
  const r = await fetch("/rpc", {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({jsonrpc: "2.0", method, params: params || [], id: Date.now()})});
  return (await r.json()).result;
}
document.addEventListener("DOMContentLoaded", async () => {
  const m = document.getElementById("map"); if (!m) return;
  const hives = await rpc("apiary_map");
  m.textContent = hives.map(h => h.id + " @ " + h.apiary).join(", ");
});
