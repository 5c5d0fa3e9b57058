using System.Management.Automation;
using Newtonsoft.Json;

namespace ScoutAudit.Shell.StandIns;

/// <summary>
/// Stand-in for PowerShell 7.4's ConvertTo-Json: -InputObject (or the pipeline; several objects make one array),
/// -Depth (default 2, at most 100, with PowerShell's truncation warning), -Compress, -AsArray, -EnumsAsStrings,
/// -EscapeHandling. The text is what PowerShell writes, indentation and number formats included.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "Json")]
[OutputType(typeof(string))]
public sealed class ConvertToJsonCommand : PSCmdlet, IDisposable
{
    private readonly List<object?> _input = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The object to convert.</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    /// <summary>How many levels of contained objects are converted; deeper ones become their string form.</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int Depth { get; set; } = 2;

    /// <summary>Writes the JSON on one line, without indentation.</summary>
    [Parameter]
    public SwitchParameter Compress { get; set; }

    /// <summary>Writes enums by name instead of number.</summary>
    [Parameter]
    public SwitchParameter EnumsAsStrings { get; set; }

    /// <summary>Writes an array even for a single input object.</summary>
    [Parameter]
    public SwitchParameter AsArray { get; set; }

    /// <summary>Which characters in strings are escaped: Default (control characters), EscapeNonAscii, EscapeHtml.</summary>
    [Parameter]
    public StringEscapeHandling EscapeHandling { get; set; } = StringEscapeHandling.Default;

    /// <inheritdoc/>
    public void Dispose() => _stopping.Dispose();

    /// <inheritdoc/>
    protected override void ProcessRecord() => _input.Add(InputObject);

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_input.Count == 0)
        {
            return;
        }

        object? value = _input.Count > 1 || AsArray ? _input.ToArray() : _input[0];
        try
        {
            WriteObject(JsonGraph.Serialize(value, Depth, Compress, EnumsAsStrings, EscapeHandling, WriteWarning, _stopping.Token));
        }
        catch (InvalidOperationException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "NonStringKeyInDictionary", ErrorCategory.InvalidOperation, value));
        }
        catch (OperationCanceledException)
        {
            // Stopped (Ctrl+C): write nothing.
        }
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stopping.Cancel();
}
