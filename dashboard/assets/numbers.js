/*
 * "Show the numbers": each chart's plotted numbers as a real table (WCAG 1.1.1 and 1.3.1;
 * docs/accessibility.md). The table is built here, in the page, from the figure Plotly holds
 * (graph.data and graph.layout), when its "details" is opened and again whenever the chart is
 * redrawn while it is open, so it is always exactly what the chart shows and costs the server
 * nothing. dashboard/textalt.py reads the same numbers the same way for the summary sentence.
 *
 * A trace whose hover text formats x as its number is drawn across (a row per ICB, named by its
 * hover label); others are drawn by x (years, steps). Each value is written with the hover text's
 * number format, with the word its hover gives (published, projected) where there is one.
 */
(function () {
    "use strict";

    function plain(text) {
        return String(text).replace(/<[^>]+>/g, " ").replace(/\u25c0/g, " ").replace(/\s+/g, " ").trim();
    }

    function across(trace) {
        return trace.type === "scatter" && /%\{x:/.test(trace.hovertemplate || "");
    }

    function decimals(trace) {
        var found = /%\{[xy]:[^}]*\.(\d+)f\}/.exec(trace.hovertemplate || "");
        return found ? Number(found[1]) : 1;
    }

    function number(value, places) {
        if (value === null || value === undefined || Number.isNaN(Number(value))) {
            return "n/a";
        }
        return Number(value).toLocaleString("en-GB", {minimumFractionDigits: places, maximumFractionDigits: places});
    }

    function axisTitle(layout, name) {
        var axis = layout[name] || {};
        var title = axis.title;
        return plain(title && typeof title === "object" ? title.text || "" : title || "");
    }

    function series(graph) {
        var layout = graph.layout || {};
        var traces = graph.data || [];
        var names = traces.map(function (t) { return String(t.name || ""); });
        return traces.map(function (trace, i) {
            var name = names[i];
            var custom = Array.prototype.slice.call(trace.customdata || []);
            var side = across(trace);
            var axis = side ? "xaxis" : "yaxis" + String(trace.yaxis || "y").slice(1);
            var unit = axisTitle(layout, axis);
            var repeated = names.filter(function (n) { return n === name; }).length > 1;
            var out = {name: repeated ? name + ", " + unit : name, unit: unit, places: decimals(trace), marked: ""};
            if (side) {
                var labels = custom.map(function (c) { return Array.isArray(c) ? c[0] : c; });
                out.categories = labels.map(plain);
                labels.forEach(function (label) {
                    if (String(label).indexOf("\u25c0") >= 0) { out.marked = plain(label); }
                });
                out.values = Array.prototype.slice.call(trace.x || []);
                out.words = out.categories.map(function () { return ""; });
            } else {
                out.categories = Array.prototype.slice.call(trace.x || []).map(plain);
                out.values = Array.prototype.slice.call(trace.y || []);
                out.words = out.categories.map(function (_, j) {
                    return typeof custom[j] === "string" ? plain(custom[j]) : "";
                });
            }
            return out;
        });
    }

    function element(tag, text, attributes) {
        var el = document.createElement(tag);
        if (text !== undefined && text !== null) { el.textContent = text; }
        Object.keys(attributes || {}).forEach(function (key) { el.setAttribute(key, attributes[key]); });
        return el;
    }

    function table(graph, title, rowHeader) {
        var all = series(graph);
        if (!all.length) {
            return element("p", "No numbers to show.", {"class": "muted"});
        }
        var rows = [];
        var cells = {};
        all.forEach(function (s, i) {
            s.categories.forEach(function (c, j) {
                if (rows.indexOf(c) < 0) { rows.push(c); }
                var text = number(s.values[j], s.places);
                cells[i + "\u0000" + c] = s.words[j] ? text + " (" + s.words[j] + ")" : text;
            });
        });
        var units = [];
        all.forEach(function (s) { if (s.unit && units.indexOf(s.unit) < 0) { units.push(s.unit); } });
        var marked = all.map(function (s) { return s.marked; }).filter(Boolean)[0] || "";
        var t = element("table", null, {"class": "numbers"});
        t.appendChild(element("caption", title + (units.length ? " (" + units.join("; ") + ")" : "")));
        var head = element("tr");
        head.appendChild(element("th", rowHeader, {scope: "col"}));
        all.forEach(function (s) { head.appendChild(element("th", s.name, {scope: "col"})); });
        t.appendChild(element("thead")).appendChild(head);
        var body = t.appendChild(element("tbody"));
        rows.forEach(function (row) {
            var tr = body.appendChild(element("tr"));
            tr.appendChild(element("th", row === marked ? row + " (chosen)" : row, {scope: "row"}));
            all.forEach(function (s, i) {
                var key = i + "\u0000" + row;
                tr.appendChild(element("td", key in cells ? cells[key] : "", {"class": "num"}));
            });
        });
        return t;
    }

    function fill(details) {
        var graphId = details.getAttribute("data-graph");
        var box = document.getElementById(graphId + "-numbers");
        var graph = document.querySelector("#" + graphId + " .js-plotly-plot");
        var heading = document.getElementById(graphId + "-title");
        if (!box || !graph || !graph.data) {
            return;
        }
        box.replaceChildren(table(graph, heading ? heading.textContent : "", details.getAttribute("data-rows")));
        if (!graph.a11yNumbers && typeof graph.on === "function") {
            graph.a11yNumbers = true;  // redraws while open fill the table again
            graph.on("plotly_afterplot", function () {
                if (details.isConnected && details.open) { fill(details); }
            });
        }
    }

    document.addEventListener("toggle", function (event) {
        var details = event.target;
        if (details instanceof HTMLDetailsElement && details.open && details.hasAttribute("data-graph")) {
            fill(details);
        }
    }, true);
})();
