// rcpgraph: Swagger UI over the service's own OpenAPI document; nothing is fetched from elsewhere.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: false,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    defaultModelsExpandDepth: 0
  });
  document.getElementById("docs-fallback").hidden = true;
});
