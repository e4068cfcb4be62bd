// Case page: after the server refused a reply with a placeholder left in (…), put the cursor on it, selected, so the
// agent types over it. The page itself (a marked copy of the text) says the same without JavaScript.
(function () {
    if (!document.querySelector('.placeholders-left')) {
        return;
    }
    const pattern = /…|\{[\p{L}_][\p{L}\p{N}_]*\}/u;
    const fields = [document.getElementById('reply-subject'), document.getElementById('reply-body')];
    for (const field of fields) {
        const found = field && pattern.exec(field.value);
        if (found) {
            field.focus();
            field.setSelectionRange(found.index, found.index + found[0].length);
            field.setAttribute('aria-invalid', 'true');
            return;
        }
    }
})();
