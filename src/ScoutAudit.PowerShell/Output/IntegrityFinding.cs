using ScoutAudit.Core;

namespace ScoutAudit;

/// <summary>
/// One problem Test-ScoutAuditLog found: its kind, the file, what was expected and what is there.
/// </summary>
/// <remarks>
/// The verifier's sentences (<see cref="Message"/>, <see cref="Expected"/>, <see cref="Actual"/>) quote
/// what a tamperer may have written (a removal's reason and time, a key id, an archive name, a digest,
/// the verification state's time): they are made inert (<see cref="InertText"/>) here, so that a script
/// that prints them, mails them or writes them to a report passes on no escape sequence either.
/// Digests, key ids, times and archive names as the module writes them hold no such character, so
/// nothing a script compares changes (a removal reason given with a line break reads with U+FFFD in
/// its place). <see cref="Path"/> and <see cref="Log"/> keep the true paths, which a script compares
/// with files or passes to Get-FileHash; the views show them inert.
/// </remarks>
public sealed class IntegrityFinding
{
    internal IntegrityFinding(Core.IntegrityFinding finding, string log)
    {
        Kind = finding.Kind;
        Severity = finding.Severity;
        Path = finding.Path;
        Message = InertText.Of(finding.Message);
        Expected = InertText.Of(finding.Expected);
        Actual = InertText.Of(finding.Actual);
        Entry = finding.Entry;
        Line = finding.Line;
        Log = log;
    }

    /// <summary>What is wrong: ArchiveModified, ArchiveMissing, ChainBroken... (about_ScoutAuditIntegrity lists each).</summary>
    public IntegrityFindingKind Kind { get; }

    /// <summary>Error: the log is not what was written. Warning: something cannot be vouched for, or was lost without being altered.</summary>
    public IntegritySeverity Severity { get; }

    /// <summary>The file concerned: an archive, the archive index, a sealed segment, the active file or its time summaries (<c>.blocks</c>).</summary>
    public string Path { get; }

    /// <summary>What was found, in a sentence: the file, entry or line, and what it means.</summary>
    public string Message { get; }

    /// <summary>What the chain, or the last verification, records; null where nothing is recorded.</summary>
    public string? Expected { get; }

    /// <summary>What is there now.</summary>
    public string? Actual { get; }

    /// <summary>The chained entry concerned (its sequence number, from 0), if any.</summary>
    public long? Entry { get; }

    /// <summary>The line of the file concerned, if any.</summary>
    public long? Line { get; }

    /// <summary>The active file of the log verified.</summary>
    public string Log { get; }

    public override string ToString() => $"{Kind}: {Message}";

    /// <summary>The text of the default view, wrapped to <paramref name="width"/> columns, inert (the path too).</summary>
    [System.Management.Automation.Hidden]
    public string ToDisplayString(int width) => WrappedText.Layout(
        $"{Severity,-WrappedText.Indent}{Kind} {System.IO.Path.GetFileName(Path)}{(Line is { } line ? $", line {line}" : Entry is { } entry ? $", entry {entry}" : "")}",
        [Message, Expected is null ? null : $"expected: {Expected}", Actual is null ? null : $"actual: {Actual}"],
        width);
}
