"""River's side of the online-learning bench (bench/suites/online-learning.ts).

Reads {"records": [{"x": {...}, "label": 0|1, "y": float}], "repeats": n, "maxDepth": d} on stdin
and prints one JSON line: per model, the seconds of each prequential pass (predict, then learn,
record by record, a fresh model per pass) and the last pass's predictions (P(y=1) for classifiers),
so the suite scores both implementations with the same code.
"""

import json
import sys
import time

import river
from river import linear_model, naive_bayes, preprocessing, tree


def models(max_depth):
    # The same configurations as ours: River's defaults, a depth limit equal to ours, and the
    # regression tree's leaf model standardised (its bare default diverges on raw-unit features).
    return {
        "logistic-regression": (
            "classification",
            lambda: preprocessing.StandardScaler() | linear_model.LogisticRegression(),
        ),
        "gaussian-nb": ("classification", lambda: naive_bayes.GaussianNB()),
        "hoeffding-tree-classifier": (
            "classification",
            lambda: tree.HoeffdingTreeClassifier(
                grace_period=200, delta=1e-7, tau=0.05, max_depth=max_depth, leaf_prediction="nba"
            ),
        ),
        "linear-regression": (
            "regression",
            lambda: preprocessing.StandardScaler() | linear_model.LinearRegression(),
        ),
        "hoeffding-tree-regressor": (
            "regression",
            lambda: tree.HoeffdingTreeRegressor(
                grace_period=200,
                delta=1e-7,
                tau=0.05,
                max_depth=max_depth,
                leaf_prediction="adaptive",
                leaf_model=preprocessing.StandardScaler() | linear_model.LinearRegression(),
            ),
        ),
    }


def prequential(task, model, records):
    out = []
    if task == "classification":
        for r in records:
            out.append(model.predict_proba_one(r["x"]).get(1, 0.0))
            model.learn_one(r["x"], r["label"])
    else:
        for r in records:
            out.append(model.predict_one(r["x"]))
            model.learn_one(r["x"], r["y"])
    return out


def main():
    request = json.load(sys.stdin)
    records = request["records"]
    result = {"version": river.__version__, "models": {}}
    for name, (task, make) in models(request["maxDepth"]).items():
        if name not in request["models"]:
            continue
        seconds = []
        predictions = []
        for _ in range(request["repeats"]):
            model = make()
            started = time.perf_counter()
            predictions = prequential(task, model, records)
            seconds.append(time.perf_counter() - started)
        result["models"][name] = {"seconds": seconds, "predictions": predictions}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
