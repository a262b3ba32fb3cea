"""The whole set of cases for a run, quick or full.

The quick run keeps one of everything (every command, every kind of input)
with fewer random models and mutants; the full run multiplies the random
parts. Both are the same on every run: the seeds are fixed here.
"""

from pathlib import Path

import cases
import corpus

SEED = 20240601

QUICK = {
    "random_models": 20, "mutants_repo": 1, "mutants_hand": 1, "mutants_hand_every": 6,
    "hand_tier": corpus.LIGHT, "hand_full": 6, "variant_every": 12,
    "gen_sizes": [0, 10, 1000], "git_models": 2,
    "limits": {"get": 3, "explain": 5, "whatif": 1, "random_repl": 0},
}
FULL = {
    "random_models": 1000, "mutants_repo": 40, "mutants_hand": 6, "mutants_hand_every": 1,
    "hand_tier": corpus.FULL,
    "hand_full": None, "variant_every": 1, "gen_sizes": [0, 1, 10, 1000, 100_000], "git_models": 24,
    "limits": {"get": 12, "explain": 40, "whatif": 2, "random_repl": 2},
}


def build(root: Path, quick: bool) -> list:
    """Every case of the run, in a fixed order."""
    cfg = QUICK if quick else FULL
    limits = cfg["limits"]
    repo = corpus.repository(root)
    hand = corpus.handmade()
    # In the quick run only some hand-made models get every command; all get a few.
    for k, m in enumerate(hand):
        if cfg["hand_full"] is None or k % max(1, len(hand) // cfg["hand_full"]) == 0:
            m.tier = corpus.FULL
        else:
            m.tier = cfg["hand_tier"]
    models = repo + hand
    models += corpus.workloads([n for n in cfg["gen_sizes"] if n > 0])
    # Every variant of the repository's models; one variant in `variant_every`
    # of the hand-made ones (a different variant for each).
    models += corpus.variants(repo)[:: cfg["variant_every"]]
    names = list(corpus.VARIANTS)
    for k, m in enumerate(hand):
        if k % cfg["variant_every"] == 0:
            v = names[k % len(names)]
            models.append(corpus.Model(f"{m.id}~{v}", m.path, corpus.VARIANTS[v](m.data), corpus.LIGHT))
    for m in repo:
        models += corpus.mutants(m, cfg["mutants_repo"], SEED)
    for m in hand[:: cfg["mutants_hand_every"]]:
        models += corpus.mutants(m, cfg["mutants_hand"], SEED)
    randoms = corpus.random_models(cfg["random_models"], SEED)
    models += randoms

    out = []
    for m in models:
        out += cases.model_cases(m, SEED, limits)
    out += cases.command_line_cases(root)
    out += cases.gen_cases(cfg["gen_sizes"] + [3, 17])
    git_models = repo[:3] + [m for m in randoms if m.tier == corpus.FULL][: max(0, cfg["git_models"] - 3)]
    for m in git_models[: cfg["git_models"]]:
        out += cases.git_cases(m, SEED)
    out += cases.git_add_delete_cases()
    seen = set()
    for c in out:
        if c.id in seen:
            raise ValueError(f"two cases are named {c.id}")
        seen.add(c.id)
    return out
