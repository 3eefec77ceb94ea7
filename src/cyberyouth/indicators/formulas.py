"""Numerator and denominator formulas over data elements.

A formula is an arithmetic expression: element codes, integer constants, + - * /, and
`min(a, b)`, `max(a, b)`, `has(x)` (1 when x > 0, else 0 — "institutions that have at least
one channel"). It is parsed once, checked against a whitelist of syntax, and compiled to a
Python function of a dict {element code: value}; a missing value counts as 0.
"""

import ast
from functools import lru_cache

from cyberyouth.errors import DomainError

_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd,
            ast.Constant, ast.Name, ast.Load, ast.Call)
_FUNCTIONS = {"min": min, "max": max, "has": lambda x: 1 if x and x > 0 else 0}


class _Rewrite(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name):
        if node.id in _FUNCTIONS:
            return node
        # element code → _v.get("code", 0) or 0
        call = ast.Call(func=ast.Attribute(value=ast.Name(id="_v", ctx=ast.Load()), attr="get", ctx=ast.Load()),
                        args=[ast.Constant(node.id), ast.Constant(0)], keywords=[])
        return ast.BoolOp(op=ast.Or(), values=[call, ast.Constant(0)])


def parse(formula: str) -> tuple[ast.Expression, set[str]]:
    """The syntax tree of `formula` and the element codes it names; DomainError if not allowed."""
    try:
        tree = ast.parse((formula or "").strip(), mode="eval")
    except SyntaxError:
        raise DomainError(f"Công thức “{formula}” không hợp lệ.", field="formula", code="formula") from None
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise DomainError(f"Công thức “{formula}” dùng cú pháp không được phép.", field="formula", code="formula")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise DomainError(f"Công thức “{formula}” chỉ được dùng số.", field="formula", code="formula")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords:
                raise DomainError(f"Công thức “{formula}”: chỉ dùng được hàm min, max, has.", field="formula",
                                  code="formula")
        elif isinstance(node, ast.Name) and node.id not in _FUNCTIONS:
            names.add(node.id)
    return tree, names


@lru_cache(maxsize=512)
def compile_formula(formula: str):
    """A function dict → number for `formula` (cached: formulas are few, units many)."""
    tree, _ = parse(formula)
    body = _Rewrite().visit(tree).body
    lam = ast.Expression(body=ast.Lambda(
        args=ast.arguments(posonlyargs=[], args=[ast.arg(arg="_v")], kwonlyargs=[], kw_defaults=[], defaults=[]),
        body=body))
    ast.fix_missing_locations(lam)
    fn = eval(compile(lam, f"<formula {formula}>", "eval"), {"__builtins__": {}, **_FUNCTIONS})  # noqa: S307 — checked AST

    def evaluate(values: dict) -> float:
        try:
            return fn(values)
        except ZeroDivisionError:
            return 0

    return evaluate


def element_codes(formula: str) -> set[str]:
    return parse(formula)[1]


_WORDS = {"min": "số nhỏ hơn của", "max": "số lớn hơn của", "has": "có"}


def in_words(formula: str, names: dict[str, str]) -> str:
    """`formula` for a reader: each element code replaced by the element's name in quotes,
    functions and operators in words ("students_cc_ack" → "“Số học sinh … cam kết”")."""
    import re

    def word(match: re.Match) -> str:
        token = match.group(0)
        if token in _WORDS:
            return _WORDS[token]
        return f"“{names[token]}”" if token in names else token

    text = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", word, formula or "")
    return text.replace("*", "×").replace("/", ":")
