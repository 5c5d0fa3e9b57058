using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using ScoutAudit.Core;
using ScoutAudit.PowerShell.Binding;
using ScoutAudit.PowerShell.Completion;

namespace ScoutAudit.PowerShell.Commands;

/// <summary>
/// A command that sends to an OpenTelemetry collector over OTLP/HTTP: the parameters that say where and
/// how (endpoint, headers and credentials, proxy, timeout, encoding, resource, patience), each left
/// unset defaulting from OpenTelemetry's variables (<see cref="OtlpForwarderSettings"/>), as PowerShell's
/// WebRequestPSCmdlet declares Invoke-RestMethod's connection once; the forwarder's options they make;
/// and how what the forwarder tells while it works is shown. Send-ScoutAuditEvent says what is sent.
/// </summary>
public abstract class OtlpCommandBase : AuditCommandBase
{
    /// <summary>The collector's OTLP/HTTP endpoint; by default $env:OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, else $env:OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNull]
    public Uri? Endpoint { get; set; }

    /// <summary>Request headers, such as @{ 'X-Api-Key' = ... }; by default those of $env:OTEL_EXPORTER_OTLP_HEADERS.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Header { get; set; }

    /// <summary>A bearer token, sent as Authorization: Bearer, as Invoke-RestMethod -Token.</summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? Token { get; set; }

    /// <summary>A user name and password, sent as Authorization: Basic.</summary>
    [Parameter]
    [ValidateNotNull]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>A proxy to send through; by default the system's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    /// <summary>The proxy's user name and password.</summary>
    [Parameter]
    [ValidateNotNull]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>How long one request may take before it is abandoned and retried, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86_400)]
    public int TimeoutSec { get; set; } = 10;

    /// <summary>
    /// The encoding: http/protobuf or http/json; by default $env:OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, else
    /// $env:OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf, as the OpenTelemetry specification says. grpc is refused.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(OtlpProtocolCompleter))]
    [ValidateNotBlank]
    public string? Protocol { get; set; }

    /// <summary>Gzip or None; by default $env:OTEL_EXPORTER_OTLP_LOGS_COMPRESSION, else $env:OTEL_EXPORTER_OTLP_COMPRESSION, else None.</summary>
    [Parameter]
    public OtlpCompression? Compression { get; set; }

    [Parameter]
    [ValidateNotBlank]
    public string ServiceName { get; set; } = "scout-audit";

    /// <summary>More resource attributes, such as @{ 'deployment.environment' = 'prod' }.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? ResourceAttribute { get; set; }

    /// <summary>How long one batch is retried before the command fails; by default until it is delivered or the command is stopped.</summary>
    [Parameter]
    public TimeSpan? GiveUpAfter { get; set; }

    /// <summary>A retry as a warning; records the collector rejected as an error (they are not sent again).</summary>
    private protected void WriteNotice(ForwardingNotice notice)
    {
        if (notice.Kind == ForwardingNoticeKind.PartialSuccess)
            WriteError(Failure(new InvalidOperationException(notice.Message), ErrorIds.RecordsRejected, ErrorCategory.InvalidData, notice.RejectedRecords)); // the collector's words, shown inert
        else
            WriteWarning(Inert(notice.Message));
    }

    /// <summary>The forwarder's options from the parameters and, where they are not given, OpenTelemetry's standard environment variables.</summary>
    private protected OtlpForwarderOptions ForwarderOptions(string? checkpointPath)
    {
        var settings = new OtlpForwarderSettings
        {
            Endpoint = Endpoint,
            Headers = Entries(Header),
            Token = Token,
            Credential = Credential is null ? null : new NetworkCredential(Credential.UserName, Credential.Password),
            Protocol = Protocol,
            Compression = Compression,
            ServiceName = ServiceName,
            ResourceAttributes = Entries(ResourceAttribute),
            GiveUpAfter = GiveUpAfter,
            RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
            Proxy = Proxy,
            ProxyCredential = ProxyCredential?.GetNetworkCredential(),
        };
        Uri endpoint;
        try
        {
            endpoint = settings.ChosenEndpoint();
        }
        catch (ArgumentException error)
        {
            throw Terminate(error, ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, error.ParamName);
        }
        try
        {
            var options = settings.ToOptions(endpoint) with
            {
                CheckpointPath = checkpointPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(checkpointPath),
            };
            options.ResolveEndpoint();
            return options;
        }
        catch (ArgumentException error)
        {
            // The endpoint without its secrets: the target reaches $Error, logs and transcripts.
            throw Terminate(error, ErrorIds.InvalidForwarding, ErrorCategory.InvalidArgument, endpoint.IsAbsoluteUri ? OtlpEndpoint.Redacted(endpoint) : null);
        }
    }

    /// <summary>A hashtable's entries in their order, without PowerShell's wrappers; the settings check them.</summary>
    private static List<KeyValuePair<object, object?>>? Entries(IDictionary? table) => table is null ? null :
        [.. table.Cast<DictionaryEntry>().Select(entry => KeyValuePair.Create(entry.Key is PSObject key ? key.BaseObject : entry.Key, entry.Value is PSObject value ? value.BaseObject : entry.Value))];

    /// <summary>
    /// Headers (credentials, as a rule) sent in clear text across a network: a warning, once, naming the
    /// headers but not their values. Loopback (a collector agent on this machine) is not warned of.
    /// </summary>
    private protected void WarnWhenCleartext(OtlpForwarderOptions options)
    {
        var endpoint = options.ResolveEndpoint();
        if (options.Headers.Count == 0 || !OtlpEndpoint.IsCleartextRemote(endpoint)) return;
        WriteWarning(Inert($"The headers {string.Join(", ", options.Headers.Keys.Select(name => $"'{name}'"))} go to '{OtlpEndpoint.Redacted(endpoint)}' over plain http, " +
            "where anyone on the network between can read them: use an https:// endpoint."));
    }
}
