using System.Collections;
using System.Management.Automation;
using System.Text;
using System.Xml;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's Write-Host: -Object (also from the pipeline and the remaining arguments),
/// -NoNewline, -Separator, -ForegroundColor, -BackgroundColor. Like PowerShell's, it writes to the information stream
/// tagged PSHOST, which the host shows; so <c>6&gt;$null</c> silences it and <c>6&gt;&amp;1</c> captures it.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "Host")]
public sealed class WriteHostCommand : PSCmdlet
{
    /// <summary>What to write; collections are written element by element, separated by -Separator.</summary>
    [Parameter(Position = 0, ValueFromRemainingArguments = true, ValueFromPipeline = true)]
    [Alias("Msg", "Message")]
    public object? Object { get; set; }

    /// <summary>Leaves the cursor at the end of the text.</summary>
    [Parameter]
    public SwitchParameter NoNewline { get; set; }

    /// <summary>The text between elements of a collection (default: one space).</summary>
    [Parameter]
    public object? Separator { get; set; } = " ";

    /// <summary>The text colour (accepted; the scoutaudit host writes plain text).</summary>
    [Parameter]
    public ConsoleColor ForegroundColor { get; set; }

    /// <summary>The background colour (accepted; the scoutaudit host writes plain text).</summary>
    [Parameter]
    public ConsoleColor BackgroundColor { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var message = new HostInformationMessage
        {
            Message = Render(Object) ?? string.Empty,
            NoNewLine = NoNewline.IsPresent,
        };

        if (MyInvocation.BoundParameters.ContainsKey(nameof(ForegroundColor)))
        {
            message.ForegroundColor = ForegroundColor;
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(BackgroundColor)))
        {
            message.BackgroundColor = BackgroundColor;
        }

        WriteInformation(message, ["PSHOST"]);
    }

    // Strings as they are, XML nodes by name, collections unrolled (recursively) with the separator, anything else
    // (a PSObject too, as in PowerShell) by its ToString(); empty results count as nothing.
    private string? Render(object? o)
    {
        switch (o)
        {
            case null:
                return null;
            case string s:
                return s.Length > 0 ? s : null;
            case XmlNode node:
                return node.Name;
            case IEnumerable items:
                var result = new StringBuilder();
                bool first = true;
                foreach (object? item in items)
                {
                    if (!first && Separator is not null)
                    {
                        result.Append(Separator);
                    }

                    result.Append(Render(item));
                    first = false;
                }

                return result.ToString();
            default:
                string text = o.ToString() ?? string.Empty;
                return text.Length > 0 ? text : null;
        }
    }
}
