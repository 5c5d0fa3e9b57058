#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# An auditor runs Test-ScoutAuditLog at a terminal on a log whose archive index and verification
# state a tamperer wrote (issue 22, item 7): the escape sequences and bidi overrides they put in a
# removal's reason and time, a key id, an archive name or the state's time do not reach the
# terminal, and each finding still names the problem. The child pwsh runs under a pseudo-terminal
# (script -qfc), as at a prompt, or renders ANSI into a pipe ($PSStyle.OutputRendering = 'Ansi');
# pwsh's own colours use ESC too, so the tests look for the injected sequences.

Describe 'Findings about a forged index at a terminal' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force

        $e = [char]0x1b
        $clearScreen = "$e[2J"
        $title = "$e]0;pwned$([char]7)"
        $rightToLeft = [string][char]0x202E
        $reason = "${clearScreen}retention${rightToLeft}lanoitnetni"

        function ConvertTo-CanonicalJson([System.Collections.Specialized.OrderedDictionary] $Members) {
            [System.Text.Json.JsonSerializer]::Serialize($Members, [System.Collections.Specialized.OrderedDictionary], [System.Text.Json.JsonSerializerOptions]::Default)
        }

        function Get-Sha256([string] $Line) {
            [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($Line))).ToLowerInvariant()
        }

        # Two archives and an active file; then, each chained to the line before it as the format
        # expects, the removal of the first archive (left on disk) with a hostile reason and key id,
        # and the entry of an archive with a hostile name, digest and prev; and a verification state
        # that claims a longer chain and file, with a hostile chain head. (Times are read as times:
        # a hostile one makes its line damage or the state unreadable, and is never shown.)
        function New-ForgedLog([string] $Folder) {
            $log = Join-Path $Folder 'audit.jsonl'
            Write-ScoutAuditEvent nav -Path $log; $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
            Write-ScoutAuditEvent nav -Path $log; $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
            Write-ScoutAuditEvent deep -Path $log; Close-ScoutAuditLog -Path $log
            $index = Join-Path $Folder 'audit.index.jsonl'
            # Two rotations: the seal and the archive entry of each. Forged lines are written in the
            # canonical form the module reads (members in its order, System.Text.Json's escaping):
            # anything else is a damaged line, from which nothing is shown.
            $lines = [System.IO.File]::ReadAllLines($index)
            $first = [System.Text.Json.JsonDocument]::Parse($lines[1]).RootElement
            $removal = ConvertTo-CanonicalJson ([ordered]@{
                    removed = $first.GetProperty('archive').GetString(); first_ts = $first.GetProperty('first_ts').GetString()
                    last_ts = $first.GetProperty('last_ts').GetString(); lines = $first.GetProperty('lines').GetInt64()
                    bytes = $first.GetProperty('bytes').GetInt64(); gz_bytes = $first.GetProperty('gz_bytes').GetInt64()
                    sha256 = $first.GetProperty('sha256').GetString(); at = '2026-02-13T14:30:22.123Z'; reason = $reason
                    seq = 4; prev = Get-Sha256 $lines[3]; key = "${clearScreen}key"; sig = 'AAAA'
                })
            $entry = ConvertTo-CanonicalJson ([ordered]@{
                    archive = "audit_$clearScreen$rightToLeft.jsonl.gz"; first_ts = $null; last_ts = $null; lines = 1; bytes = 10; gz_bytes = 30
                    sha256 = "${title}digest"; seq = 5; prev = "$clearScreen$rightToLeft"
                })
            [System.IO.File]::AppendAllText($index, "$removal`n$entry`n")
            $state = [ordered]@{
                ActiveInode = $null; ActiveFirstLine = Get-Sha256 ([System.IO.File]::ReadAllLines($log)[0]); ActiveLength = 1000000
                ChainSequence = 99; ChainHead = "${clearScreen}head"; At = '2026-02-13T14:30:22.123Z'
            } | ConvertTo-Json -Compress
            [System.IO.File]::WriteAllText("$log.verified", $state)
            $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
            $public = Join-Path $Folder 'public.pem'
            Set-Content -LiteralPath $public -Value $key.ExportSubjectPublicKeyInfoPem()
            [pscustomobject]@{ Log = $log; PublicKey = $public }
        }

        function Assert-NothingInjected([string] $Output) {
            $Output.Contains($clearScreen, [System.StringComparison]::Ordinal) | Should -BeFalse -Because 'ESC [2J would clear the screen'
            $Output.Contains("$e]0;pwned", [System.StringComparison]::Ordinal) | Should -BeFalse -Because 'ESC ]0; would retitle the terminal'
            $Output.Contains($rightToLeft, [System.StringComparison]::Ordinal) | Should -BeFalse -Because 'U+202E would make the line read backwards'
        }
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $forged = New-ForgedLog $folder
        $environment = @{ HOME = $folder; SCOUT_AUDIT_PATH = $forged.Log; SCOUT_TEST_MODULE = Get-ScoutAuditModulePath }
    }

    AfterEach {
        Close-ScoutAuditLog -Path $forged.Log
    }

    It 'shows the default view, the list and the table at a terminal with the forged text defused, naming each finding' {
        $script = Join-Path $folder 'show.ps1'
        Set-Content -LiteralPath $script -Value @'
param([string] $Log, [string] $PublicKey)
Import-Module $env:SCOUT_TEST_MODULE
Test-ScoutAuditLog -Path $Log -PublicKey $PublicKey
Test-ScoutAuditLog -Path $Log -PublicKey $PublicKey | Format-List
Test-ScoutAuditLog -Path $Log -PublicKey $PublicKey | Format-Table
'@
        $pwsh = (Get-PwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $script, '-Log', $forged.Log, '-PublicKey', $forged.PublicKey)
        $commandLine = ($pwsh | ForEach-Object { "'$_'" }) -join ' '

        # script(1) gives the child a pseudo-terminal: pwsh renders as at a prompt, colours included.
        $run = Invoke-ChildProcess -FilePath script -ArgumentList '-qfec', $commandLine, '/dev/null' -Environment $environment

        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $run.StdOut | Should -Match "$e\[" -Because 'pwsh at a terminal colours its output, so escape sequences could pass'
        Assert-NothingInjected $run.StdOut
        foreach ($kind in 'RemovedArchivePresent', 'SignedByOtherKey', 'ChainBroken', 'ArchiveMissing', 'ChainTruncated', 'FileShrunk') {
            $run.StdOut | Should -Match "\b$kind\b"
        }
        $run.StdOut | Should -Match ([regex]::Escape("$([char]0xFFFD)[2Jretention$([char]0xFFFD)lanoitnetni"))
    }

    It 'writes the verbose messages, with and without -Quiet, with the forged text defused' {
        $script = Join-Path $folder 'verbose.ps1'
        Set-Content -LiteralPath $script -Value @'
param([string] $Log, [string] $PublicKey)
$PSStyle.OutputRendering = 'Ansi'
Import-Module $env:SCOUT_TEST_MODULE
$null = Test-ScoutAuditLog -Path $Log -PublicKey $PublicKey -Verbose
"quiet: $(Test-ScoutAuditLog -Path $Log -PublicKey $PublicKey -Quiet -Verbose)"
'@

        $run = Invoke-ChildPwsh -ArgumentList '-File', $script, '-Log', $forged.Log, '-PublicKey', $forged.PublicKey -Environment $environment

        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $all = $run.StdOut + $run.StdErr
        Assert-NothingInjected $all
        $run.StdOut | Should -Match '(?m)^quiet: False'
        $run.StdOut | Should -Match 'records this archive as removed'
        $run.StdOut | Should -Match ([regex]::Escape("key $([char]0xFFFD)[2Jkey"))
    }
}
