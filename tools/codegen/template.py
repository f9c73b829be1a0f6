"""The template language of tools/codegen/templates/*.java.tmpl: one source for a kernel's float and double forms.

A template is Java with placeholders for what differs between the two forms:

    {{T}} float | double          {{Box}} Float | Double          {{K}} F | D (class suffix: Conv{{K}})
    {{TVector}} FloatVector | DoubleVector                        {{Species}} Species.FLOAT | Species.DOUBLE
    {{gemm}} sgemm | dgemm        {{Gemm}} Sgemm | Dgemm          {{GEMM}} SGEMM | DGEMM
    {{narrow}} "(float) " | ""    (the cast of a double expression to T; none for double, where javac calls it
                                  redundant)
    {{lit(1)}} 1f | 1.0           (a literal of type T)
    {{float ? a : b}}             a in the float form, b in the double form (on one line)

and line directives, each alone on its line:

    {{#if float}} ... {{#else}} ... {{#end}}    lines for one form only ({{#if double}} likewise)
    {{#each T}} ... {{#end}}                    the lines once per form, float then double, in one file (a class
                                                that holds both overloads); outside such a block a template that
                                                makes one file holds no type placeholder

A template without {{#each T}} makes two files (its float and its double form); one with it makes one file.
"""
import re

TYPES = {
    'float': dict(T='float', Box='Float', K='F', TVector='FloatVector', Species='Species.FLOAT', gemm='sgemm',
                  Gemm='Sgemm', GEMM='SGEMM', narrow='(float) '),
    'double': dict(T='double', Box='Double', K='D', TVector='DoubleVector', Species='Species.DOUBLE', gemm='dgemm',
                   Gemm='Dgemm', GEMM='DGEMM', narrow=''),
}

_DIRECTIVE = re.compile(r'^\s*\{\{#(if float|if double|else|end|each T)\}\}\s*$')
_CHOICE = re.compile(r'\{\{float \? (.*?) : (.*?)\}\}')
_LIT = re.compile(r'\{\{lit\((-?[0-9.]+)\)\}\}')
_NAME = re.compile(r'\{\{(\w+)\}\}')


class TemplateError(Exception):
    pass


def _parse(lines, i, name, closers):
    """Lines from i into a tree of str and (directive, body, else_body) up to a closer; returns (tree, i, closer)."""
    tree = []
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i])
        if not m:
            tree.append(lines[i])
            i += 1
            continue
        d = m.group(1)
        if d in closers:
            return tree, i + 1, d
        if d in ('else', 'end'):
            raise TemplateError(f'{name}:{i + 1}: {{{{#{d}}}}} without an open block')
        body, i, closer = _parse(lines, i + 1, name, ('else', 'end') if d.startswith('if') else ('end',))
        other = []
        if closer == 'else':
            other, i, _ = _parse(lines, i, name, ('end',))
        tree.append((d, body, other))
    if closers:
        raise TemplateError(f'{name}: a block is not closed by {{{{#end}}}}')
    return tree, i, None


def _line(text, t, name):
    if t is None:
        if '{{' in text:
            raise TemplateError(f'{name}: a type placeholder outside {{{{#each T}}}}: {text.strip()}')
        return text
    form = TYPES[t]
    text = _CHOICE.sub(lambda m: m.group(1) if t == 'float' else m.group(2), text)
    text = _LIT.sub(lambda m: m.group(1) + 'f' if t == 'float' else
                    (m.group(1) if '.' in m.group(1) else m.group(1) + '.0'), text)

    def name_of(m):
        if m.group(1) not in form:
            raise TemplateError(f'{name}: unknown placeholder {m.group(0)} in: {text.strip()}')
        return form[m.group(1)]
    text = _NAME.sub(name_of, text)
    if '{{' in text:
        raise TemplateError(f'{name}: a placeholder the template language does not know: {text.strip()}')
    return text


def _render(tree, t, name, out):
    for node in tree:
        if isinstance(node, str):
            out.append(_line(node, t, name))
            continue
        d, body, other = node
        if d == 'each T':
            if t is not None:
                raise TemplateError(f'{name}: {{{{#each T}}}} inside a typed block')
            for form in TYPES:
                _render(body, form, name, out)
        else:
            if t is None:
                raise TemplateError(f'{name}: {{{{#{d}}}}} outside a typed block')
            _render(body if d == 'if ' + t else other, t, name, out)


def paired(text):
    """Whether the template makes one file holding both forms ({{#each T}})."""
    return any(_DIRECTIVE.match(l) and '#each T' in l for l in text.splitlines())


def render(text, t=None, name='template'):
    """The template's text in form t ('float' or 'double'), or with t None the one file of a paired template."""
    tree, _, _ = _parse(text.splitlines(keepends=True), 0, name, ())
    out = []
    _render(tree, t, name, out)
    return ''.join(out)
