namespace CourseKit.Notebooks;

/// <summary>The stylesheet of exported notebooks: system fonts only, nothing fetched.</summary>
internal static class HtmlExportStyle
{
    public const string Css = """
        body { margin: 0; background: #fff; color: #1f2328;
               font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1000px; margin: 0 auto; padding: 24px 16px 64px; }
        pre, code, .prompt { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
        .cell { margin: 14px 0; }
        .row { display: flex; gap: 10px; margin: 4px 0; }
        .prompt { flex: 0 0 76px; text-align: right; color: #57606a; line-height: 1.45; padding-top: 9px; }
        .prompt .kernel { display: block; font-size: 11px; color: #8250df; }
        .input .prompt { color: #0550ae; }
        .execute-result .prompt { color: #953800; }
        .content { flex: 1; min-width: 0; overflow-x: auto; }
        pre { margin: 0; padding: 8px 10px; line-height: 1.45; white-space: pre-wrap; word-break: break-word; }
        pre.source { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; white-space: pre; overflow-x: auto; }
        pre.stderr { background: #fff5f5; color: #82071e; }
        pre.error { background: #ffebe9; color: #82071e; border-left: 4px solid #cf222e; }
        pre.error .ename { font-weight: bold; }
        .markdown { padding: 0 10px; }
        .markdown pre { background: #f6f8fa; border-radius: 6px; white-space: pre; overflow-x: auto; }
        .markdown :not(pre) > code { background: #eff1f3; padding: 1px 4px; border-radius: 4px; }
        .markdown table, .html table { border-collapse: collapse; margin: 8px 0; }
        .markdown th, .markdown td { border: 1px solid #d0d7de; padding: 4px 10px; }
        .markdown blockquote { margin: 0; padding: 0 12px; color: #57606a; border-left: 4px solid #d0d7de; }
        .math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", serif; color: #0a3069;
                background: #f4f1ff; padding: 0 3px; border-radius: 3px; white-space: pre-wrap; }
        div.math { display: block; margin: 8px 0; padding: 6px 10px; text-align: center; }
        img, svg { max-width: 100%; height: auto; }
        """;
}
