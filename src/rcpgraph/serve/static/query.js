// rcpgraph's query page, enhanced: a SPARQL editor (CodeMirror 5, served with the page), the stored queries
// as examples to load, prefixes to add, and a sortable, paged result table. Without JavaScript the page is a
// plain form, and the table shows every row.
(function () {
  "use strict";
  var PAGE_SIZE = 25;

  function each(list, action) {
    Array.prototype.forEach.call(list, action);
  }

  function editor() {
    var area = document.getElementById("sparql");
    var data = JSON.parse(document.getElementById("query-data").textContent);
    var code = null;
    if (window.CodeMirror) {
      code = window.CodeMirror.fromTextArea(area, {
        mode: "application/sparql-query",
        lineNumbers: true,
        indentUnit: 2,
        viewportMargin: Infinity,
        lineWrapping: true,
        inputStyle: "contenteditable"
      });
      code.getInputField().setAttribute("aria-label", "Query text");
    }
    function text() {
      return code ? code.getValue() : area.value;
    }
    function replace(value) {
      if (code) {
        code.setValue(value);
      } else {
        area.value = value;
      }
    }
    document.getElementById("editor-tools").hidden = false;
    document.getElementById("example").addEventListener("change", function (event) {
      var example = data.examples[event.target.value];
      if (example) {
        replace(example);
      }
    });
    each(document.querySelectorAll("button.prefix"), function (button) {
      button.addEventListener("click", function () {
        var prefix = button.getAttribute("data-prefix");
        var declared = new RegExp("^\\s*PREFIX\\s+" + prefix + ":", "im");
        if (!declared.test(text())) {
          replace("PREFIX " + prefix + ": <" + data.prefixes[prefix] + ">\n" + text());
        }
      });
    });
  }

  function pager(count, page, turn) {
    var nav = document.createElement("nav");
    var pages = Math.ceil(count / PAGE_SIZE);
    nav.className = "pager";
    nav.setAttribute("aria-label", "Result pages");
    if (pages < 2) {
      return nav;
    }
    [["Previous", page - 1], ["Next", page + 1]].forEach(function (step, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = step[0];
      button.disabled = step[1] < 0 || step[1] >= pages;
      button.addEventListener("click", function () {
        turn(step[1]);
      });
      if (index === 1) {
        var where = document.createElement("span");
        where.textContent = "Rows " + (page * PAGE_SIZE + 1) + "–" + Math.min(count, (page + 1) * PAGE_SIZE) + " of " + count;
        nav.appendChild(where);
      }
      nav.appendChild(button);
    });
    return nav;
  }

  function table() {
    var result = document.getElementById("result-table");
    if (!result) {
      return;
    }
    var body = result.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var holder = document.createElement("div");
    var sorted = { column: -1, direction: 1 };
    var page = 0;
    result.parentNode.parentNode.insertBefore(holder, result.parentNode.nextSibling);
    function show() {
      body.textContent = "";
      rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE).forEach(function (row) {
        body.appendChild(row);
      });
      holder.textContent = "";
      holder.appendChild(pager(rows.length, page, function (next) {
        page = next;
        show();
      }));
    }
    each(result.tHead.rows[0].cells, function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = header.textContent;
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () {
        sorted.direction = sorted.column === column ? -sorted.direction : 1;
        sorted.column = column;
        rows.sort(function (a, b) {
          var left = a.cells[column].textContent.trim();
          var right = b.cells[column].textContent.trim();
          return sorted.direction * left.localeCompare(right, undefined, { numeric: true });
        });
        each(result.tHead.rows[0].cells, function (other, index) {
          other.setAttribute("aria-sort", index !== column ? "none" : sorted.direction > 0 ? "ascending" : "descending");
        });
        page = 0;
        show();
      });
    });
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    editor();
    table();
  });
})();
