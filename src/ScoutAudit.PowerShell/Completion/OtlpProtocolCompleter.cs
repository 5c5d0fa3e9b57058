using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ScoutAudit.Core;

namespace ScoutAudit.PowerShell.Completion;

/// <summary>Offers the -Protocol values of Send-ScoutAuditEvent, each with its encoding as the tooltip.</summary>
public sealed class OtlpProtocolCompleter : IArgumentCompleter
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.OrdinalIgnoreCase)
    {
        [OtlpProtocols.HttpProtobufName] = "OTLP/HTTP with protobuf bodies (application/x-protobuf): the specification's default, accepted by every OTLP/HTTP receiver.",
        [OtlpProtocols.HttpJsonName] = "OTLP/HTTP with JSON bodies (application/json), for receivers that take JSON.",
    };

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Descriptions.Keys, wordToComplete, name => Descriptions[name]);
}
