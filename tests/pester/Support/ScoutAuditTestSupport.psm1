# Helpers shared by the Pester acceptance suite (tests/pester/*.Tests.ps1).
# Nothing here asserts anything: the helpers build logs and run child processes, the tests judge.

Set-StrictMode -Version 3.0

function Get-ScoutAuditModulePath {
    <# The built module, by absolute path, whatever the working directory. #>
    [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', '..', 'module', 'ScoutAudit.psd1'))
}

function New-TestLogPath {
    <# A log path of its own for one test: <Directory>/<Name>-<guid>.jsonl (the file does not exist yet). #>
    param(
        [Parameter(Mandatory)] [string] $Directory,
        [string] $Name = 'audit'
    )
    [System.IO.Path]::Combine($Directory, ('{0}-{1}.jsonl' -f $Name, [guid]::NewGuid().ToString('N')))
}

function ConvertTo-ScoutTimestamp {
    <# The log's time format: UTC, ISO 8601 with milliseconds and Z. #>
    param([Parameter(Mandatory)] [datetime] $Utc)
    $Utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)
}

function New-ScoutAuditLine {
    <#
    One JSONL line as the original writes it, built by hand so a test can place events at known
    UTC times (Write-ScoutAuditEvent always stamps the current time).
    #>
    param(
        [Parameter(Mandatory)] [datetime] $Utc,
        [Parameter(Mandatory)] [string] $Event,
        [string] $SessionId = '00000000-0000-4000-8000-000000000000',
        [System.Collections.IDictionary] $Field = @{}
    )
    $line = [ordered]@{ ts = (ConvertTo-ScoutTimestamp $Utc); event = $Event; session_id = $SessionId }
    foreach ($key in $Field.Keys) { $line[$key] = $Field[$key] }
    $line | ConvertTo-Json -Compress -Depth 10
}

function Set-ScoutAuditLogContent {
    <# Writes lines to a log file: UTF-8 without BOM, each line ended by LF. #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Line
    )
    $text = if ($Line.Count) { ($Line -join "`n") + "`n" } else { '' }
    [System.IO.File]::WriteAllText($Path, $text, [System.Text.UTF8Encoding]::new($false))
}

function Get-ExampleSeedLine {
    <#
    The four events of the last two hours that the help's examples run against (Documentation.Tests.ps1,
    tools/Update-ExampleOutput.ps1), as the original writes them: nav, brief, validation_fail, nav.
    #>
    $now = [DateTime]::UtcNow
    $session = [guid]::NewGuid()
    foreach ($seed in @(
            @{ Minutes = 90; Event = 'nav'; Model = 'llama-3.1-8b'; Cost = '3e-06' }
            @{ Minutes = 40; Event = 'brief'; Model = 'gpt-4o-mini'; Cost = '0.0021' }
            @{ Minutes = 30; Event = 'validation_fail'; Model = 'llama-3.1-8b'; Cost = '0.0' }
            @{ Minutes = 10; Event = 'nav'; Model = 'gpt-4o-mini'; Cost = '0.0004' })) {
        '{{"ts": "{0}", "event": "{1}", "session_id": "{2}", "cost": {3}, "model": "{4}"}}' -f
            (ConvertTo-ScoutTimestamp $now.AddMinutes(-$seed.Minutes)), $seed.Event, $session, $seed.Cost, $seed.Model
    }
}

function New-SigningKey {
    <#
    A P-256 key pair in <Folder>: signing.pem (the private key, 0600 on Unix as the module requires)
    and public.pem (as the umask makes it); returns both paths.
    #>
    param([Parameter(Mandatory)] [string] $Folder)
    $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $private = Join-Path $Folder 'signing.pem'
    $public = Join-Path $Folder 'public.pem'
    $options = [System.IO.FileStreamOptions]@{ Mode = 'CreateNew'; Access = 'Write' }
    if (-not $IsWindows) { $options.UnixCreateMode = [System.IO.UnixFileMode]'UserRead, UserWrite' }
    $writer = [System.IO.StreamWriter]::new($private, $options)
    try { $writer.Write($key.ExportPkcs8PrivateKeyPem()) } finally { $writer.Dispose() }
    Set-Content -LiteralPath $public -Value $key.ExportSubjectPublicKeyInfoPem()
    [pscustomobject]@{ Private = $private; Public = $public }
}

function New-GzipFile {
    <# A gzip file of lines, each ended by LF, as the original's archives are. #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string[]] $Line)
    $file = [System.IO.File]::Create($Path)
    $gzip = [System.IO.Compression.GZipStream]::new($file, [System.IO.Compression.CompressionLevel]::Optimal)
    $bytes = [System.Text.Encoding]::UTF8.GetBytes(($Line -join "`n") + "`n")
    $gzip.Write($bytes, 0, $bytes.Length)
    $gzip.Dispose()
}

function Get-PwshCommand {
    <#
    The pwsh running these tests, as a command line: under `dotnet pwsh` that is
    [Environment]::ProcessPath (dotnet) and <PSHOME>/pwsh.dll, not the tool's launcher, so that a
    child started with it is pwsh itself and killing it kills pwsh; an installed pwsh is its own apphost.
    #>
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return , @($process, [System.IO.Path]::Combine($PSHOME, 'pwsh.dll'))
    }
    , @($process)
}

function New-ProcessStartInfo {
    <# A child process with captured output, in WorkingDirectory, with these environment changes ($null removes a variable). #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).ProviderPath
    )
    $info = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.WorkingDirectory = $WorkingDirectory
    foreach ($key in $Environment.Keys) {
        if ($null -eq $Environment[$key]) { [void]$info.Environment.Remove($key) } else { $info.Environment[$key] = [string]$Environment[$key] }
    }
    $info
}

function New-ChildPwshStartInfo {
    <# With -Umask (Unix), the child starts under that umask (000, 022, 077...) through /bin/sh. #>
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [Parameter(Mandatory)] [hashtable] $Environment,
        [string] $WorkingDirectory = (Get-Location).ProviderPath,
        [ValidatePattern('^([0-7]{3,4})?$')] [string] $Umask
    )
    foreach ($required in 'HOME', 'SCOUT_AUDIT_PATH') {
        if (-not $Environment.ContainsKey($required) -or [string]::IsNullOrEmpty($Environment[$required])) {
            throw "A child pwsh needs $required pointing into the test's own directory."
        }
    }
    $pwsh = Get-PwshCommand
    $childEnvironment = @{ POWERSHELL_TELEMETRY_OPTOUT = '1'; POWERSHELL_UPDATECHECK = 'Off'; SCOUT_TEST_MODULE = Get-ScoutAuditModulePath }
    foreach ($key in $Environment.Keys) { $childEnvironment[$key] = $Environment[$key] }
    $command = @($pwsh) + @('-NoProfile', '-NonInteractive') + $ArgumentList
    if ($Umask) { $command = @('/bin/sh', '-c', "umask $Umask && exec `"`$@`"", 'sh') + $command }
    New-ProcessStartInfo -FilePath $command[0] -ArgumentList @($command | Select-Object -Skip 1) -Environment $childEnvironment -WorkingDirectory $WorkingDirectory
}

function Start-ProcessCapture {
    <# Starts a process from a start info with captured output; Wait-ChildPwsh returns ExitCode, StdOut and StdErr. #>
    param([Parameter(Mandatory)] [System.Diagnostics.ProcessStartInfo] $StartInfo)
    $process = [System.Diagnostics.Process]::Start($StartInfo)
    [pscustomobject]@{
        Process = $process
        StdOut  = $process.StandardOutput.ReadToEndAsync()
        StdErr  = $process.StandardError.ReadToEndAsync()
    }
}

function Invoke-ChildProcess {
    <# Runs any program to the end (see New-ProcessStartInfo) and returns ExitCode, StdOut and StdErr. #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).ProviderPath,
        [int] $TimeoutSeconds = 120
    )
    $info = New-ProcessStartInfo -FilePath $FilePath -ArgumentList $ArgumentList -Environment $Environment -WorkingDirectory $WorkingDirectory
    Wait-ChildPwsh -Child (Start-ProcessCapture $info) -TimeoutSeconds $TimeoutSeconds
}

function Start-ChildPwsh {
    <# Starts a child pwsh (dotnet <PSHOME>/pwsh.dll) and returns its Process; the caller ends it. #>
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [Parameter(Mandatory)] [hashtable] $Environment
    )
    $info = New-ChildPwshStartInfo -ArgumentList $ArgumentList -Environment $Environment
    $info.RedirectStandardOutput = $false
    $info.RedirectStandardError = $false
    [System.Diagnostics.Process]::Start($info)
}

function Start-ChildPwshCapture {
    <#
    Starts a child pwsh whose output is captured; Wait-ChildPwsh returns ExitCode, StdOut and StdErr.
    Several can run at once. The module's path is in $env:SCOUT_TEST_MODULE of the child.
    #>
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [Parameter(Mandatory)] [hashtable] $Environment,
        [string] $WorkingDirectory = (Get-Location).ProviderPath,
        [string] $Umask
    )
    Start-ProcessCapture (New-ChildPwshStartInfo -ArgumentList $ArgumentList -Environment $Environment -WorkingDirectory $WorkingDirectory -Umask $Umask)
}

function Wait-ChildPwsh {
    <# Waits for a child started by Start-ChildPwshCapture (killing it after the timeout) and returns its results. #>
    param(
        [Parameter(Mandatory)] $Child,
        [int] $TimeoutSeconds = 60
    )
    $process = $Child.Process
    try {
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill()
            throw "The child pwsh did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            StdOut   = $Child.StdOut.GetAwaiter().GetResult()
            StdErr   = $Child.StdErr.GetAwaiter().GetResult()
        }
    }
    finally {
        $process.Dispose()
    }
}

function Invoke-ChildPwsh {
    <# Runs a child pwsh to the end and returns ExitCode, StdOut and StdErr. HOME and SCOUT_AUDIT_PATH must be given. #>
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [Parameter(Mandatory)] [hashtable] $Environment,
        [string] $WorkingDirectory = (Get-Location).ProviderPath,
        [int] $TimeoutSeconds = 60,
        [string] $Umask
    )
    Wait-ChildPwsh -Child (Start-ChildPwshCapture -ArgumentList $ArgumentList -Environment $Environment -WorkingDirectory $WorkingDirectory -Umask $Umask) -TimeoutSeconds $TimeoutSeconds
}

Export-ModuleMember -Function Get-ScoutAuditModulePath, New-TestLogPath, Get-ExampleSeedLine, ConvertTo-ScoutTimestamp, New-ScoutAuditLine, New-SigningKey, New-GzipFile,
    Set-ScoutAuditLogContent, Get-PwshCommand, Start-ChildPwsh, Start-ChildPwshCapture, Wait-ChildPwsh, Invoke-ChildPwsh, Invoke-ChildProcess
