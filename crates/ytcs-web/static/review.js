// "Đây là chỉ tiêu" on the plan review page. Every source line holding a
// number has a plain GET form (works without this script): its text field
// holds the whole line. This script only makes selecting easier: selecting
// text inside a source line puts the selection in that line's field and
// opens its form, so one click on "Đây là chỉ tiêu" pre-fills the target.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("mouseup", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.anchorNode) return;
    var node = sel.anchorNode.nodeType === 1 ? sel.anchorNode : sel.anchorNode.parentElement;
    var li = node && node.closest("li[data-line]");
    if (!li) return;
    var details = li.querySelector("details.mark");
    var field = details && details.querySelector("input[name=selection]");
    var text = sel.toString().replace(/\s+/g, " ").trim();
    if (!field || !text || details.contains(node)) return;
    field.value = text;
    document.querySelectorAll("li.marking").forEach(function (x) {
      if (x !== li) {
        x.classList.remove("marking");
        var d = x.querySelector("details.mark");
        if (d) d.open = false;
      }
    });
    li.classList.add("marking");
    details.open = true;
  });
})();
