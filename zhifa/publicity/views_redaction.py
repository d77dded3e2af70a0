"""Staff preview of the redaction engine (G4, G7, G8): original and redacted text side by side."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import RedactionPreviewForm
from .redaction import redact


@login_required
def redaction_preview(request):
    form = RedactionPreviewForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = redact(form.cleaned_data["text"], **form.cleaned_lists())
    return render(request, "publicity/staff/redaction_preview.html", {"form": form, "result": result})
