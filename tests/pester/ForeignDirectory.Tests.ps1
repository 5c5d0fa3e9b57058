#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Read-only commands write nothing where they should not (issue 24, item 3): root reads another
# user's log, in that user's directory. Every read-only command leaves the directory exactly as it
# was (names, sizes, times, modes, owners, and the directory's own time, which any file created and
# deleted there would change); Test-ScoutAuditLog and Send-ScoutAuditEvent keep their state in
# root's own cache instead ($XDG_CACHE_HOME/scoutaudit), owner-only, and find it again there.
# The commands run in a child pwsh as root with a HOME and XDG_CACHE_HOME inside $TestDrive.

Describe 'Read-only commands on another user''s log' -Skip:(-not $IsLinux -or (id -u) -ne '0') {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/OtlpReceiver.psm1")) -Force

        $since = [datetime]::new(2026, 3, 1, 0, 0, 0, [DateTimeKind]::Utc)

        # The other user's log as the original writes it: an archive it rotated, then an active file
        # of 3,000 events (about 600 KiB, more than two blocks of 256 KiB, so a query with -Since
        # would summarise it in <log>.blocks, and the archive would get a hint in the index).
        function New-ForeignLog([string] $Folder) {
            $null = New-Item -ItemType Directory -Path $Folder
            $log = Join-Path $Folder 'audit.jsonl'
            $padding = 'x' * 100
            New-GzipFile (Join-Path $Folder 'audit_20260301_000000.jsonl.gz') @(foreach ($n in 0..99) {
                    New-ScoutAuditLine -Utc $since.AddMinutes($n) -Event nav -Field ([ordered]@{ cost = 0.01; model = 'gpt-4o'; reason = "old $n $padding" })
                })
            Set-ScoutAuditLogContent -Path $log -Line @(foreach ($n in 0..2999) {
                    New-ScoutAuditLine -Utc $since.AddHours(2).AddSeconds($n) -Event nav -Field ([ordered]@{ cost = 0.001; model = 'gpt-4o-mini'; reason = "new $n $padding" })
                })
            chown -R 65534:65534 $Folder
            if ($LASTEXITCODE) { throw "chown failed on '$Folder'" }
            $log
        }

        # Everything a write would change: each entry's name, size, modification time, mode and
        # owner, and the directory's own (an entry created and deleted again changes its time).
        function Get-Listing([string] $Folder) {
            foreach ($item in @(Get-Item -LiteralPath $Folder -Force) + @(Get-ChildItem -LiteralPath $Folder -Force | Sort-Object Name)) {
                $length = if ($item.PSIsContainer) { '-' } else { $item.Length }
                '{0} {1} {2} {3} {4}:{5}' -f $item.Name, $length, $item.LastWriteTimeUtc.Ticks, $item.UnixMode, $item.User, $item.Group
            }
        }

        # Runs commands in a child pwsh as root, the module imported; $env:LOG is the log.
        function Invoke-AsRoot([string] $Command, [string] $Log, [hashtable] $Environment = @{}) {
            $script = "`$ErrorActionPreference = 'Stop'; Import-Module `$env:SCOUT_TEST_MODULE; $Command"
            $childEnvironment = @{
                HOME             = $rootHome
                XDG_CACHE_HOME   = $cache
                SCOUT_AUDIT_PATH = Join-Path $rootHome '.scout/audit.jsonl'
                LOG              = $Log
            }
            foreach ($key in $Environment.Keys) { $childEnvironment[$key] = $Environment[$key] }
            Invoke-ChildPwsh -ArgumentList '-Command', $script -Environment $childEnvironment -TimeoutSeconds 120
        }

        $rootHome = Join-Path $TestDrive 'root-home'
        $cache = Join-Path $TestDrive 'root-cache'
        $null = New-Item -ItemType Directory -Path $rootHome
        $shared = New-ForeignLog (Join-Path $TestDrive 'nobody')
        $receiver = Start-OtlpReceiver
    }

    AfterAll {
        if ($receiver) { Stop-OtlpReceiver $receiver }
    }

    It '<Name> leaves the other user''s directory as it was' -ForEach @(
        @{ Name = 'Get-ScoutAuditEvent'; Command = '$null = Get-ScoutAuditEvent -Path $env:LOG' }
        @{ Name = 'Get-ScoutAuditEvent -Since'; Command = '$null = Get-ScoutAuditEvent -Path $env:LOG -Since 2026-03-01T02:30:00Z' }
        @{ Name = 'Get-ScoutAuditEvent -Last'; Command = '$null = Get-ScoutAuditEvent -Path $env:LOG -Last 5' }
        @{ Name = 'Get-ScoutAuditEvent -Wait'; Command = '$null = Get-ScoutAuditEvent -Path $env:LOG -Wait | Select-Object -First 3' }
        @{ Name = 'Get-ScoutAuditSpend'; Command = '$null = Get-ScoutAuditSpend -Path $env:LOG' }
        @{ Name = 'Get-ScoutAuditSpend -Since'; Command = '$null = Get-ScoutAuditSpend -Path $env:LOG -Since 2026-03-01T02:30:00Z -By Model' }
        @{ Name = 'Get-ScoutAuditAccuracy'; Command = '$null = Get-ScoutAuditAccuracy -Path $env:LOG' }
        @{ Name = 'Get-ScoutAuditLog'; Command = '$null = Get-ScoutAuditLog -Path $env:LOG' }
        @{ Name = 'Test-ScoutAuditLog'; Command = '$null = Test-ScoutAuditLog -Path $env:LOG' }
        @{ Name = 'Send-ScoutAuditEvent'; Command = '$null = Send-ScoutAuditEvent -Endpoint $env:COLLECTOR -Path $env:LOG' }
        @{ Name = 'Export-ScoutAuditReport'; Command = '$null = Export-ScoutAuditReport -OutFile (Join-Path $HOME report.html) -Path $env:LOG -Since 2026-03-01T00:00:00Z' }
        @{ Name = 'tab completion'; Command = '$line = "Get-ScoutAuditEvent -Path ''$env:LOG'' -Model "; $null = TabExpansion2 -inputScript $line -cursorColumn $line.Length' }
    ) {
        $before = Get-Listing (Split-Path $shared)

        $run = Invoke-AsRoot $Command $shared @{ COLLECTOR = $receiver.Endpoint }

        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        Get-Listing (Split-Path $shared) | Should -Be $before
    }

    It 'Test-ScoutAuditLog keeps its state in the caller''s cache, 0600 in a 0700 directory, and compares with it the next time' {
        $log = New-ForeignLog (Join-Path $TestDrive 'verified-by-root')
        $ownCache = Join-Path $TestDrive 'cache-of-verify'
        $before = Get-Listing (Split-Path $log)

        $first = Invoke-AsRoot '(Test-ScoutAuditLog -Path $env:LOG).Status' $log @{ XDG_CACHE_HOME = $ownCache }

        $first.ExitCode | Should -Be 0 -Because $first.StdErr
        $first.StdOut.Trim() | Should -Be 'Unchained' -Because 'the original''s archive is outside any chain, a warning'
        Get-Listing (Split-Path $log) | Should -Be $before
        $state = @(Get-ChildItem -LiteralPath (Join-Path $ownCache 'scoutaudit') -Force)
        $state.Name | Should -BeLike 'audit.jsonl.*.verified'
        $state.UnixMode | Should -Be '-rw-------'
        $state.User | Should -Be 'root'
        (Get-Item -LiteralPath (Join-Path $ownCache 'scoutaudit')).UnixMode | Should -Be 'drwx------'

        # The owner cuts the last lines off the active file: only the state kept by root knows what was there.
        $stream = [System.IO.File]::Open($log, 'Open', 'ReadWrite')
        try { $stream.SetLength($stream.Length - 1000) } finally { $stream.Dispose() }
        $second = Invoke-AsRoot '(Test-ScoutAuditLog -Path $env:LOG | Where-Object Severity -eq Error).Kind' $log @{ XDG_CACHE_HOME = $ownCache }

        $second.ExitCode | Should -Be 0 -Because $second.StdErr
        $second.StdOut | Should -Match 'FileShrunk'
    }

    It 'Send-ScoutAuditEvent keeps its checkpoint in the caller''s cache and resumes from it' {
        $log = New-ForeignLog (Join-Path $TestDrive 'forwarded-by-root')
        $before = Get-Listing (Split-Path $log)
        $ownCache = Join-Path $TestDrive 'cache-of-send'
        $collector = Start-OtlpReceiver
        try {
            $command = '$r = Send-ScoutAuditEvent -Endpoint $env:COLLECTOR -Path $env:LOG; "$($r.Sent) $($r.CheckpointPath)"'
            $first = Invoke-AsRoot $command $log @{ COLLECTOR = $collector.Endpoint; XDG_CACHE_HOME = $ownCache }
            $second = Invoke-AsRoot $command $log @{ COLLECTOR = $collector.Endpoint; XDG_CACHE_HOME = $ownCache }
        }
        finally {
            Stop-OtlpReceiver $collector
        }

        $first.ExitCode | Should -Be 0 -Because $first.StdErr
        $second.ExitCode | Should -Be 0 -Because $second.StdErr
        $sent, $checkpoint = $first.StdOut.Trim() -split ' ', 2
        $sent | Should -Be 3100
        $second.StdOut.Trim() | Should -Be "0 $checkpoint" -Because 'the second run resumes from the checkpoint the first kept'
        Split-Path $checkpoint | Should -Be (Join-Path $ownCache 'scoutaudit')
        (Get-Item -LiteralPath $checkpoint).UnixMode | Should -Be '-rw-------'
        Get-Listing (Split-Path $log) | Should -Be $before
    }

    It 'keeps nothing, and says so, when the cache directory is not the caller''s alone' {
        $log = New-ForeignLog (Join-Path $TestDrive 'shared-cache')
        $sharedCache = Join-Path $TestDrive 'world-writable-cache'
        $null = New-Item -ItemType Directory -Path (Join-Path $sharedCache 'scoutaudit')
        chmod 0777 (Join-Path $sharedCache 'scoutaudit')
        $before = Get-Listing (Split-Path $log)

        $run = Invoke-AsRoot 'Test-ScoutAuditLog -Path $env:LOG 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message' $log @{ XDG_CACHE_HOME = $sharedCache }

        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $run.StdOut | Should -Match 'not kept'
        Get-ChildItem -LiteralPath (Join-Path $sharedCache 'scoutaudit') -Force | Should -BeNullOrEmpty
        Get-Listing (Split-Path $log) | Should -Be $before
    }

    It 'uses ~/.cache/scoutaudit when XDG_CACHE_HOME is not set' {
        $log = New-ForeignLog (Join-Path $TestDrive 'default-cache')

        $run = Invoke-AsRoot '$null = Test-ScoutAuditLog -Path $env:LOG' $log @{ XDG_CACHE_HOME = $null }

        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        @(Get-ChildItem -LiteralPath (Join-Path $rootHome '.cache/scoutaudit') -Filter 'audit.jsonl.*.verified').Count | Should -Be 1
        (Get-Item -LiteralPath (Join-Path $rootHome '.cache/scoutaudit') -Force).UnixMode | Should -Be 'drwx------'
    }
}
