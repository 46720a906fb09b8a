"""LLM stage: instructor over any OpenAI-compatible endpoint, with cache, retries and a log.

Import cost matters for `semx parse`, so nothing heavy is imported here; use the submodules:
`semx.llm.stage` (llm_session, run_llm_stage), `semx.llm.client` (LLMClient),
`semx.llm.local_server` (embedded model), `semx.llm.cli` (logs command).
"""
