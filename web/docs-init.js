// Starts Swagger UI on /docs. Kept out of docs.html so the page's
// Content-Security-Policy can forbid inline scripts (script-src 'self').
// Served by the API as /docs/assets/docs-init.js.
(function () {
  "use strict";
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // No badge or request to the public validator service.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
