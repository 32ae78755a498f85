// The objection form shows only the fields the chosen kind of objector fills in (a person: name,
// ID number, contact; an organisation: name, address, contact, sealed letter; anonymous: none of
// them). Without JavaScript every field stays visible, and the server asks for what is missing.
(function () {
  "use strict";
  var form = document.querySelector("form.objection-form");
  if (!form) { return; }
  var fields = {
    person: ["name", "id_number", "contact", "email"],
    organization: ["name", "address", "contact", "email", "seal_letter"],
    anonymous: ["email"]
  };
  var all = ["name", "id_number", "contact", "email", "address", "seal_letter"];
  function show() {
    var chosen = form.querySelector("input[name=kind]:checked");
    var wanted = chosen ? fields[chosen.value] || all : all;
    all.forEach(function (name) {
      var block = document.getElementById("field-" + name);
      if (block) { block.hidden = wanted.indexOf(name) === -1 && !block.classList.contains("has-error"); }
    });
  }
  form.querySelectorAll("input[name=kind]").forEach(function (input) { input.addEventListener("change", show); });
  show();
})();
