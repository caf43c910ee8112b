"""Process definitions: the BPMN model, compiling, lint, hardened XML, expressions, forms."""
