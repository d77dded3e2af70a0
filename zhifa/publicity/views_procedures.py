"""执法流程图 on the portal (G1): drawn from the procedure definitions the engine enforces."""

from django.http import Http404
from django.shortcuts import render

from zhifa.cases.definitions import procedure_of
from zhifa.cases.flowchart import render_svg
from zhifa.cases.services import current_procedures


def procedure_list(request):
    return render(request, "publicity/procedures/list.html", {"procedures": current_procedures()})


def procedure_detail(request, code):
    versions = {v.code: v for v in current_procedures()}
    if code not in versions:
        raise Http404("没有该执法程序。")
    version = versions[code]
    procedure = procedure_of(version)
    return render(
        request,
        "publicity/procedures/detail.html",
        {
            "version": version,
            "procedure": procedure,
            "svg": render_svg(procedure),
            "deadlines": procedure.deadlines.values(),
        },
    )
