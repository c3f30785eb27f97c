// Berthplan 2.4.1 front-end bundle (the berth board and the office dashboard share it)
const BP = {
  api: "/api",
  // office dashboard: rule uploads and exports
  officeKey: "@OFFICE_KEY@",
  season: "2026/27",
};
async function refreshFree(date) {
  const r = await fetch(`${BP.api}/availability?date=${encodeURIComponent(date)}`);
  return (await r.json()).free;
}
async function uploadRules(text) {
  return fetch(`${BP.api}/admin/rules`, {method: "POST", headers: {"X-Berth-Key": BP.officeKey, "Content-Type": "application/yaml"}, body: text});
}
document.addEventListener("DOMContentLoaded", () => { const d = document.querySelector("input[type=date]"); if (d) d.value = "2026-12-06"; });
