"""Command line for the payout calculator: python -m actions.payout SCHEME BENEFIT [options].

Exit codes: 0 result printed, 2 bad arguments (message in Norwegian and English, no traceback).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Optional, Sequence

from actions.payout import calculate, render_json, render_text
from actions.payout_model import BENEFITS, SCHEMES, SURVIVORS, InputError, PayoutInput
from actions.yaml_data import DataError

EPILOG = """examples:
  python -m actions.payout yrkesskade men --age 50 --degree 100
  python -m actions.payout yrkesskade_lov ervervsuforhet --age 60 --degree 100 --income 400000 --g 58778
  python -m actions.payout yrkesskade dodsfall --age 50 --survivors ektefelle,barn --children 3,7 --json
  python -m actions.payout gruppeliv dodsfall --age 55 --survivors ingen --monthly-salary 50000 --nynorsk
  python -m actions.payout fritidsulykke behandlingsutgifter --costs 3000
  python -m actions.payout tjenestereise reise"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: same bilingual form, exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"Feil / error: {message}\n")


def _list(kind: type, name: str):
    def parse(text: str) -> list:
        try:
            return [kind(part.strip()) for part in text.split(",") if part.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name}: kommaseparert liste ventet / comma-separated list expected") from None
    return parse


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("dato må være ÅÅÅÅ-MM-DD / date must be YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m actions.payout", epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter,
                     description="Anslag på engangsutbetaling fra personalforsikringene i Helse Vest "
                                 "(estimate of a one-off payout), i G og kroner.")
    parser.add_argument("scheme", choices=SCHEMES, help="ordning / scheme")
    parser.add_argument("benefit", choices=BENEFITS, help="ytelse / benefit")
    parser.add_argument("--age", type=int, help="alder (ved skade/oppgjør, eller avdødes alder ved dødsfallet)")
    parser.add_argument("--degree", type=float, help="grad i prosent (medisinsk invaliditet eller ervervsuførhet)")
    parser.add_argument("--income", type=float, help="årsinntekt i kroner")
    parser.add_argument("--survivors", type=_list(str, "--survivors"), default=[],
                        help=f"etterlatte, kommaseparert: {', '.join(SURVIVORS)}")
    parser.add_argument("--children", type=_list(int, "--children"), default=[], help="barnas alder, f.eks. 3,7")
    parser.add_argument("--monthly-salary", type=float, help="månedslønn i kroner (gruppeliv uten etterlatte)")
    parser.add_argument("--costs", type=float, help="behandlingsutgifter i kroner (fritidsulykke)")
    parser.add_argument("--date", type=_day, help="oppgjørsdato ÅÅÅÅ-MM-DD for G (standard: i dag)")
    parser.add_argument("--g", type=int, help="bruk denne G i kroner i stedet for tabellen")
    parser.add_argument("--json", action="store_true", help="skriv JSON")
    parser.add_argument("--nynorsk", action="store_true", help="skriv på nynorsk")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    survivors = list(args.survivors)
    if args.children and "barn" not in survivors:
        survivors.append("barn")  # giving children's ages implies children among the survivors
    inp = PayoutInput(scheme=args.scheme, benefit=args.benefit, age=args.age, degree=args.degree, income=args.income,
                      survivors=tuple(survivors), children_ages=tuple(args.children),
                      monthly_salary=args.monthly_salary, costs=args.costs)
    try:
        result = calculate(inp, settlement_date=args.date, g=args.g)
    except InputError as error:
        print(f"Feil: {error.nb}\nError: {error.en}", file=sys.stderr)
        return 2
    except (LookupError, DataError) as error:
        print(f"Feil / error: {error}", file=sys.stderr)
        return 2
    print(render_json(result) if args.json else render_text(result, "nn" if args.nynorsk else "nb"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
