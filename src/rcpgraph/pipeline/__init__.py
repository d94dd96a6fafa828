"""The build pipeline, one module a stage: source → curation → cells → statements → graph →
reasoning → validation → dataset description → release (`build.run` chains them)."""
