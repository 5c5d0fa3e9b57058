# What one Write-ScoutAuditEvent call costs in pwsh, beside what PowerShell itself costs per call:
#   dotnet pwsh -NoProfile -File tests/ScoutAudit.Benchmarks/per-call.ps1 [-Calls 3000]
# (after dotnet build ScoutAudit.sln -c Release). Quick figures for the notes in docs/benchmarks.md;
# the benchmark program's runbook and pipeline rows are the measured comparison with the original.
param([int] $Calls = 3000)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1')
$directory = Join-Path ([IO.Path]::GetTempPath()) "scoutaudit-per-call-$PID"
$null = New-Item -ItemType Directory $directory

function Measure-PerCall([string] $Name, [scriptblock] $Body) {
    $null = & $Body # warm: JIT and first-use costs out of the figure
    $elapsed = Measure-Command $Body
    '{0,-58} {1,7:N1} µs a call or record  {2,8:N0}/s' -f $Name, ($elapsed.TotalMilliseconds * 1000 / $script:Calls), ($script:Calls / $elapsed.TotalSeconds)
}

function Invoke-Empty {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [string] $Event, [double] $Cost, [string] $Model, [long] $InputTokens, [long] $OutputTokens,
          [string[]] $Files, [string] $Reason, [double] $Confidence, [double] $DurationMs, [string] $Path)
}

foreach ($policy in 'Cadence', 'None') {
    $log = Join-Path $directory "$policy.jsonl"
    Set-ScoutAuditLog -Path $log -SyncPolicy $policy -RotationSize 0 | Out-Null
    Measure-PerCall "Write-ScoutAuditEvent, every field, SyncPolicy $policy" {
        foreach ($i in 1..$Calls) {
            Write-ScoutAuditEvent nav -Cost 0.000168 -Model 'llama-3.1-8b' -InputTokens 1234 -OutputTokens 256 -Files 'src/scout/navigator.py' `
                -Reason 'navigate to definition' -Confidence 85 -DurationMs 1234 -Path $log
        }
    }
    Close-ScoutAuditLog -Path $log
}
$log = Join-Path $directory 'None.jsonl'
Measure-PerCall 'Write-ScoutAuditEvent nav -Path, SyncPolicy None' { foreach ($i in 1..$Calls) { Write-ScoutAuditEvent nav -Path $log } }
Measure-PerCall 'an empty advanced function with the same ten arguments' {
    foreach ($i in 1..$Calls) {
        Invoke-Empty nav -Cost 0.000168 -Model 'llama-3.1-8b' -InputTokens 1234 -OutputTokens 256 -Files 'src/scout/navigator.py' `
            -Reason 'navigate to definition' -Confidence 85 -DurationMs 1234 -Path 'x.jsonl'
    }
}
Close-ScoutAuditLog -Path $log

# Piped records: what PowerShell's binding by property name costs alone, beside Write-ScoutAuditEvent.
function Receive-Record {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $Event, [Parameter(ValueFromPipelineByPropertyName)] [double] $Cost,
          [Parameter(ValueFromPipelineByPropertyName)] [string] $Model, [Parameter(ValueFromPipelineByPropertyName)] [long] $InputTokens,
          [Parameter(ValueFromPipelineByPropertyName)] [long] $OutputTokens, [Parameter(ValueFromPipelineByPropertyName)] [string[]] $Files,
          [Parameter(ValueFromPipelineByPropertyName)] [string] $Reason, [Parameter(ValueFromPipelineByPropertyName)] [double] $Confidence,
          [Parameter(ValueFromPipelineByPropertyName)] [double] $DurationMs)
    process { }
}
$records = foreach ($i in 1..$Calls) {
    [pscustomobject]@{ Event = 'nav'; Cost = 0.000168; Model = 'llama-3.1-8b'; InputTokens = 1234; OutputTokens = 256
                       Files = @('src/scout/navigator.py'); Reason = 'navigate to definition'; Confidence = 85; DurationMs = 1234 }
}
$log = Join-Path $directory 'piped.jsonl'
Set-ScoutAuditLog -Path $log -SyncPolicy None | Out-Null
Measure-PerCall '$records | Write-ScoutAuditEvent, SyncPolicy None' { $records | Write-ScoutAuditEvent -Path $log }
Measure-PerCall '$records | an empty function binding the nine by name' { $records | Receive-Record }
Close-ScoutAuditLog -Path $log
Remove-Item $directory -Recurse -Force
