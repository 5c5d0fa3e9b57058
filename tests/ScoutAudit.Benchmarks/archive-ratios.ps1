# How much real archives shrink, to choose ArchiveBounds.MaxRatio (src/ScoutAudit.Core/IO/ArchiveBounds.cs):
#   dotnet pwsh -NoProfile -File tests/ScoutAudit.Benchmarks/archive-ratios.ps1 [-Events 20000]
# (after dotnet build ScoutAudit.sln -c Release). Writes logs of varied and of repetitive events with
# the module, rotates them, and gives each archive's ratio (uncompressed / compressed) as the module
# wrote it and as the original compresses (Python's gzip, zlib level 9: SmallestSize here).
param([int] $Events = 20000)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1')
$directory = Join-Path ([IO.Path]::GetTempPath()) "scoutaudit-archive-ratios-$PID"
$null = New-Item -ItemType Directory $directory

function Measure-Ratio([string] $Name, [int] $Count, [scriptblock] $Record) {
    $log = Join-Path $directory "$Name/audit.jsonl"
    $null = New-Item -ItemType Directory (Split-Path $log)
    Set-ScoutAuditLog -Path $log -RotationSize 0 | Out-Null
    1..$Count | ForEach-Object $Record | Write-ScoutAuditEvent -Path $log
    $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
    Close-ScoutAuditLog -Path $log
    $archive = Get-ChildItem (Split-Path $log) -Filter *.jsonl.gz | Select-Object -First 1
    $plain = [IO.MemoryStream]::new()
    $gzip = [IO.Compression.GZipStream]::new($archive.OpenRead(), [IO.Compression.CompressionMode]::Decompress)
    $gzip.CopyTo($plain); $gzip.Dispose()
    $level9 = [IO.MemoryStream]::new()
    $gzip = [IO.Compression.GZipStream]::new($level9, [IO.Compression.CompressionLevel]::SmallestSize, $true)
    $gzip.Write($plain.GetBuffer(), 0, $plain.Length); $gzip.Dispose()
    [pscustomobject]@{
        Log = $Name; Events = $Count; Bytes = $plain.Length; Archive = $archive.Length
        Ratio = [math]::Round($plain.Length / $archive.Length, 1); AsOriginal = [math]::Round($plain.Length / $level9.Length, 1)
    }
}

$random = [Random]::new(7)
$models = 'gpt-4o-mini', 'gpt-4o', 'claude-3-5-sonnet', 'o3-mini', 'llama-3.1-70b'
$types = 'nav', 'validation_fail', 'deep', 'plan', 'tool_call', 'retry'
$config = @{}; foreach ($i in 1..60) { $config["option_$i"] = "value number $i with some words" }
$words = 1..3000 | ForEach-Object { -join (1..$random.Next(2, 10) | ForEach-Object { [char]$random.Next(97, 123) }) }
$prompt = (1..3400 | ForEach-Object { $words[$random.Next($words.Count)] }) -join ' '
$run = 'x' * 4000
try {
    @(
        Measure-Ratio 'varied events' $Events {
            [pscustomobject]@{ Event = $types[$random.Next($types.Count)]; Model = $models[$random.Next($models.Count)]; Cost = [math]::Round($random.NextDouble() / 50, 6)
                InputTokens = $random.Next(50, 9000); OutputTokens = $random.Next(10, 2000); SessionId = "s-$($random.Next(1, 40))"; DurationMs = $random.Next(100, 30000)
                Confidence = [math]::Round($random.NextDouble(), 3); Reason = "step $($random.Next()) of the plan: checked $($random.Next(1, 20)) files"
                Files = @("src/m$($random.Next(1, 300)).py", "tests/t$($random.Next(1, 300)).py") }
        }
        Measure-Ratio 'bare events (log("nav"))' $Events { [pscustomobject]@{ Event = 'nav' } }
        Measure-Ratio 'the same fields every time' $Events { [pscustomobject]@{ Event = 'nav'; Model = 'gpt-4o-mini'; Cost = 0.001; InputTokens = 100; OutputTokens = 20; SessionId = 's-1' } }
        Measure-Ratio 'the same 2 KB config every time' $Events { [pscustomobject]@{ Event = 'nav'; Model = 'gpt-4o-mini'; SessionId = 's-1'; Config = $config } }
        Measure-Ratio 'the same 20 KB prompt every time' ([math]::Ceiling($Events / 80)) { [pscustomobject]@{ Event = 'nav'; Reason = $prompt } }
        Measure-Ratio 'contrived: a run of 4000 x every time' ([math]::Ceiling($Events / 4)) { [pscustomobject]@{ Event = 'nav'; Reason = $run } }
    ) | Format-Table -AutoSize
}
finally {
    Remove-Item $directory -Recurse -Force
}
