"""NannyML on the churn model's reference and monitored days: the baseline of bench/suites/churn-monitoring.ts.

Reads JSON on stdin: {"reference": <parquet path>, "analysis": <parquet path>, "features": [names]}.
Both files hold the model's features, the calibrated probability, the decision, the label (null
while unknown) and a `timestamp` (the analysis rows' snapshot day; the reference rows spread over
ten made-up days, so NannyML sees ten reference chunks as our reference has). Chunks are days.
Prints one JSON line: per analysis day, CBPE's estimates and each drift detector's alert.
"""

import json
import sys
import time
import warnings

import nannyml as nml
import pandas as pd

warnings.filterwarnings("ignore")


def main() -> None:
    args = json.load(sys.stdin)
    features = args["features"]
    reference = pd.read_parquet(args["reference"])
    analysis = pd.read_parquet(args["analysis"])
    for frame in (reference, analysis):
        frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    chunking = {"timestamp_column_name": "timestamp", "chunk_period": "D"}
    started = time.perf_counter()

    cbpe = nml.CBPE(
        y_pred_proba="probability",
        y_pred="decision",
        y_true="label",
        problem_type="classification_binary",
        metrics=["roc_auc", "f1", "accuracy"],
        **chunking,
    )
    cbpe.fit(reference)
    estimated = cbpe.estimate(analysis.drop(columns=["label"])).filter(period="analysis").to_df()
    cbpe_seconds = time.perf_counter() - started

    started = time.perf_counter()
    univariate = nml.UnivariateDriftCalculator(
        column_names=features, continuous_methods=["kolmogorov_smirnov", "jensen_shannon"], **chunking
    )
    univariate.fit(reference)
    drift = univariate.calculate(analysis).filter(period="analysis").to_df()
    univariate_seconds = time.perf_counter() - started

    started = time.perf_counter()
    multivariate = nml.DataReconstructionDriftCalculator(column_names=features, **chunking)
    multivariate.fit(reference)
    reconstruction = multivariate.calculate(analysis).filter(period="analysis").to_df()
    multivariate_seconds = time.perf_counter() - started

    def day(frame: pd.DataFrame, i: int) -> str:
        # The chunk's columns are ("chunk", "start_date") or ("chunk", "chunk", "start_date").
        column = next(c for c in frame.columns if c[0] == "chunk" and c[-1] == "start_date")
        return pd.Timestamp(frame[column].iloc[i]).strftime("%Y-%m-%d")

    def alerted(frame: pd.DataFrame, i: int, method: str) -> list[str]:
        return [f for f in features if bool(frame[(f, method, "alert")].iloc[i])]

    periods = {}
    for i in range(len(estimated)):
        periods.setdefault(day(estimated, i), {})["estimated"] = {
            metric: _number(estimated[(metric, "value")].iloc[i]) for metric in ("roc_auc", "f1", "accuracy")
        }
        periods[day(estimated, i)]["estimatedAlert"] = bool(
            estimated[("roc_auc", "alert")].iloc[i] or estimated[("f1", "alert")].iloc[i]
        )
    for i in range(len(drift)):
        entry = periods.setdefault(day(drift, i), {})
        entry["ks"] = alerted(drift, i, "kolmogorov_smirnov")
        entry["jensenShannon"] = alerted(drift, i, "jensen_shannon")
    for i in range(len(reconstruction)):
        entry = periods.setdefault(day(reconstruction, i), {})
        entry["reconstructionError"] = _number(reconstruction[("reconstruction_error", "value")].iloc[i])
        entry["reconstructionAlert"] = bool(reconstruction[("reconstruction_error", "alert")].iloc[i])

    print(
        json.dumps(
            {
                "nannyml": nml.__version__,
                "seconds": {"cbpe": cbpe_seconds, "univariate": univariate_seconds, "multivariate": multivariate_seconds},
                "periods": periods,
            }
        )
    )


def _number(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return None if number != number else number


if __name__ == "__main__":
    main()
