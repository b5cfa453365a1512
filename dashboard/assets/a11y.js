/*
 * Accessibility fixes for Dash 4's own widgets (WCAG 2.2 AA; docs/accessibility.md).
 *
 * Dash's widgets take no aria-* properties, and a few of their insides break WCAG rules. This
 * script mends them in the page, whenever they are drawn or redrawn, and changes nothing else:
 *
 * - Names: a widget inside an element with data-a11y-labelledby (dashboard/a11y.py: named())
 *   gets aria-labelledby on its focusable parts: a slider's handle and its number box, a
 *   drop-down's button (with the value shown, so "Year 2025/26"), a group of boxes, a file input;
 *   and aria-describedby from data-a11y-describedby (a slider's readout of its value and unit).
 * - Drop-downs: the hidden input Dash puts before each drop-down's button (for Safari) takes Tab
 *   focus while hidden from screen readers; it leaves the tab order and the button takes focus
 *   itself. The button opens a popover, not a list box.
 * - Checklists and radio items: Dash draws them as a list box whose options hold a checkbox or a
 *   radio button (a control nested in a control); they become a group (radio group) of plain
 *   labelled boxes, as in HTML, or, inside a fieldset whose legend names the group, plain boxes.
 * - Uploads with a button of their own: the transparent file input over the drop zone leaves the
 *   tab order, so Tab does not stop on something invisible (the button opens the file chooser).
 * - Focus is never dropped: when the box with focus is disabled (the scenarios to compare, once
 *   four are ticked), focus moves to the nearest box of its group still enabled rather than to
 *   the page's body.
 *
 * Attributes are only ever set when they differ, so the observer settles at once.
 */
(function () {
    "use strict";

    function set(el, name, value) {
        if (el.getAttribute(name) !== value) {
            el.setAttribute(name, value);
        }
    }

    function unset(el, name) {
        if (el.hasAttribute(name)) {
            el.removeAttribute(name);
        }
    }

    function wrapper(el) {
        return el.closest("[data-a11y-labelledby]");
    }

    function name(el, extra) {
        var host = wrapper(el);
        if (!host) {
            return;
        }
        var ids = host.getAttribute("data-a11y-labelledby");
        set(el, "aria-labelledby", extra ? ids + " " + extra : ids);
        var described = host.getAttribute("data-a11y-describedby");
        if (described) {
            set(el, "aria-describedby", described);
        }
    }

    function dropdowns(root) {
        root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (target) {
            set(target, "tabindex", "-1");
        });
        root.querySelectorAll("button.dash-dropdown").forEach(function (button) {
            set(button, "tabindex", button.disabled ? "-1" : "0");
            set(button, "aria-haspopup", "dialog");
            var value = button.querySelector(".dash-dropdown-value");
            name(button, value && value.id ? value.id : "");
        });
        root.querySelectorAll(".dash-dropdown-content").forEach(function (popover) {
            name(popover);
        });
    }

    function optionLists(root) {
        root.querySelectorAll(".dash-options-list").forEach(function (list) {
            if (!wrapper(list) && list.closest("fieldset")) {
                unset(list, "role");  // the fieldset and its legend already make the group
                return;
            }
            var radios = list.querySelector("input[type=radio]") !== null;
            set(list, "role", radios ? "radiogroup" : "group");
            name(list);
        });
        root.querySelectorAll(".dash-options-list-option").forEach(function (option) {
            unset(option, "role");
            unset(option, "aria-selected");
        });
    }

    function sliders(root) {
        root.querySelectorAll(".dash-slider-container").forEach(function (slider) {
            slider.querySelectorAll("[role=slider], input[type=number]").forEach(function (part) {
                name(part);
            });
        });
    }

    function uploads(root) {
        root.querySelectorAll("input[type=file]").forEach(function (input) {
            name(input);
            if (input.parentElement && input.parentElement.querySelector("button")) {
                set(input, "tabindex", "-1");
            }
        });
    }

    var lastFocused = null;
    document.addEventListener("focusin", function (event) {
        lastFocused = event.target;
    });

    function keepFocus() {
        var lost = lastFocused;
        if (!lost || !lost.disabled || !lost.isConnected) {
            return;
        }
        if (document.activeElement !== lost && document.activeElement !== document.body) {
            return;
        }
        var group = lost.closest(".dash-options-list");
        var boxes = group ? Array.prototype.slice.call(group.querySelectorAll("input")) : [];
        var at = boxes.indexOf(lost);
        var after = boxes.slice(at + 1).concat(boxes.slice(0, at).reverse());
        var next = after.find(function (box) {
            return !box.disabled;
        });
        if (next) {
            next.focus();
        }
    }

    function mend() {
        dropdowns(document);
        optionLists(document);
        sliders(document);
        uploads(document);
        keepFocus();
    }

    function outsideCharts(record) {
        var node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
        return !node || !node.closest(".js-plotly-plot");
    }

    new MutationObserver(function (records) {
        if (records.some(outsideCharts)) {
            mend();
        }
    }).observe(document.documentElement, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ["tabindex", "role", "aria-selected", "aria-labelledby", "aria-haspopup", "disabled"],
    });
    mend();
})();
