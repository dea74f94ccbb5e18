// 年度考核 round page: when a row is saved through htmx, clear the previous message first so that the
// next "已保存" (or the refusal) is the answer to this save.
document.addEventListener("htmx:beforeRequest", function (ev) {
  if (!ev.target.closest || !ev.target.closest("#entries")) return;
  var flash = document.getElementById("round-flash");
  if (flash) flash.innerHTML = "";
});
