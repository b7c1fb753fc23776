// Decap starts itself when its script loads unless told not to: desk.js registers the
// site's header format, checks and preview first, then starts it.
window.CMS_MANUAL_INIT = true;
