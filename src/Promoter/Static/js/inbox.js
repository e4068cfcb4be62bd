// Keyboard use of the case inbox: j / k move between cases, Enter follows the focused link (the browser does that).
(function () {
    const links = Array.from(document.querySelectorAll('#cases a.case-link'));
    if (links.length === 0) {
        return;
    }
    document.addEventListener('keydown', function (e) {
        const target = e.target;
        if (e.altKey || e.ctrlKey || e.metaKey || (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) {
            return;
        }
        const at = links.indexOf(document.activeElement);
        if (e.key === 'j') {
            links[Math.min(at + 1, links.length - 1)].focus();
            e.preventDefault();
        } else if (e.key === 'k') {
            links[Math.max(at - 1, 0)].focus();
            e.preventDefault();
        }
    });
})();
