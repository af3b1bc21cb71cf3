"""Load time: question banks and flows, from YAML to a checked, compiled `Content`.

Modules: yaml_lines (YAML with line numbers, read by libyaml when PyYAML has it), report (the
problems in one file and a channel's `Limits`), banks (questions), steps (a flow's raw steps),
compiler (steps -> a graph of nodes), asked (the question an ask step puts, and a scale's follow-ups),
checks (references, reachability, conditions), conditions
(the expression language), text (prompt templates and their limits), samples (values to show
each template with at load time), builtin (what the coach adds itself), model, loader
(`load_content`) and graph (a flow as Mermaid). Of the bot, it imports only `bot.errors`.
"""
