#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-ScoutAuditReport as a user runs it: one self-contained page, the cmdlets' numbers, the
# usual -WhatIf and -PassThru, and clear errors. The page in a browser: HtmlReportTests (xunit).

Describe 'Export-ScoutAuditReport' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
    }

    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        $log = Join-Path $folder 'audit.jsonl'
        $report = Join-Path $folder 'report.html'
        $today = [DateTimeOffset]::new([DateTime]::UtcNow.Date, [TimeSpan]::Zero)
        # An event of the last minute: in the report's window at any hour (today at 01:00 is
        # still in the future in the first hour of a UTC day, and Write refuses future times).
        $recent = [DateTimeOffset]::UtcNow.AddMinutes(-1)
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'writes one page of the last 30 UTC days with the totals of Get-ScoutAuditSpend and Get-ScoutAuditAccuracy, and returns it with -PassThru' {
        Write-ScoutAuditEvent nav -Model gpt-4o-mini -Cost 0.25 -InputTokens 100 -OutputTokens 10 -Timestamp $recent -Path $log
        Write-ScoutAuditEvent validation_fail -Reason 'bad <b>json</b>' -Timestamp $today.AddDays(-29) -Path $log
        Write-ScoutAuditEvent nav -Model old -Cost 99 -Timestamp $today.AddDays(-30) -Path $log

        $file = Export-ScoutAuditReport -Path $log -OutFile $report -PassThru

        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be $report
        $file.PSProvider.Name | Should -Be 'FileSystem' -Because 'as Get-Item gives it, so it prints with its mode, owner and size'
        ($file | Format-Table | Out-String) | Should -Match '\d+ [\w.-]+\.html'

        $html = Get-Content -Raw -LiteralPath $report
        $spend = Get-ScoutAuditSpend -Path $log -Since $today.AddDays(-29) -Until $today.AddDays(1)
        $spend.Cost | Should -Be 0.25
        $html | Should -Match ([regex]::Escape('<dd>$' + $spend.Cost.ToString([cultureinfo]::InvariantCulture) + '</dd>'))
        $html | Should -Match ([regex]::Escape("<dd>$((Get-ScoutAuditAccuracy -Path $log -Since $today.AddDays(-29) -Until $today.AddDays(1)).AccuracyPct.ToString('0.00', [cultureinfo]::InvariantCulture)) %</dd>"))
        $html | Should -Match '30 days'
        $html | Should -Not -Match '>old<'
        $html | Should -Match 'bad &lt;b&gt;json&lt;/b&gt;'
        $html | Should -Match "<meta http-equiv=""Content-Security-Policy"" content=""default-src 'none';"
        $html | Should -Not -Match '<script|src=|href='
        ([regex]::Matches($html, '<svg ')).Count | Should -Be 5
    }

    It 'shows control and bidirectional characters of a log as U+FFFD, as the console views do' {
        # A reason and a model carrying a right-to-left override, an escape sequence (a window title), a bell and a line separator.
        $hostile = "pay `u{202E}gnp.exe `e]0;owned`a done`u{2028}x"
        Write-ScoutAuditEvent validation_fail -Reason $hostile -Model "m`u{2066}odel`e[2J" -Timestamp $recent -Path $log

        Export-ScoutAuditReport -Path $log -OutFile $report

        $html = [System.IO.File]::ReadAllText($report)
        $html | Should -Not -Match '[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069\u2028\u2029]' -Because 'no control or bidi character of the log reaches the page'
        $html | Should -Match ([regex]::Escape("pay `u{FFFD}gnp.exe `u{FFFD}]0;owned`u{FFFD} done`u{FFFD}x"))
        $html | Should -Match ([regex]::Escape("m`u{FFFD}odel`u{FFFD}[2J"))
    }

    It 'adds up several logs, in the window given as whole UTC days' {
        $other = Join-Path $folder 'other.jsonl'
        Write-ScoutAuditEvent nav -Cost 1.5 -Timestamp $today.AddDays(-3).AddHours(5) -Path $log
        Write-ScoutAuditEvent nav -Cost 2.25 -Timestamp $today.AddDays(-2).AddHours(23) -Path $other
        Write-ScoutAuditEvent nav -Cost 4 -Timestamp $today.AddDays(-1) -Path $other

        Export-ScoutAuditReport -Path $log, $other -OutFile $report -Since $today.AddDays(-3).AddHours(12) -Until $today.AddDays(-2).AddHours(1)

        $html = Get-Content -Raw -LiteralPath $report
        $html | Should -Match ([regex]::Escape('<dd>$3.75</dd>'))
        $html | Should -Match '2 days'
        $html | Should -Match ([regex]::Escape("<code>$other</code>"))
        Close-ScoutAuditLog -Path $other
    }

    It 'writes nothing under -WhatIf and replaces its own earlier report otherwise, without -Force' {
        Write-ScoutAuditEvent nav -Cost 0.5 -Path $log
        Export-ScoutAuditReport -Path $log -OutFile $report -WhatIf
        Test-Path -LiteralPath $report | Should -BeFalse

        Export-ScoutAuditReport -Path $log -OutFile $report -Title 'Earlier'
        Export-ScoutAuditReport -Path $log -OutFile $report -Title 'Fresh'
        Get-Content -Raw -LiteralPath $report | Should -Match '<title>Fresh</title>'
        Get-ChildItem -LiteralPath $folder -Filter '*.tmp' | Should -BeNullOrEmpty
    }

    It 'says which file it could not write, and leaves no part of it' {
        Write-ScoutAuditEvent nav -Path $log
        $missing = Join-Path $folder 'no-such-folder/report.html'

        { Export-ScoutAuditReport -Path $log -OutFile $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReportWriteFailed,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand' -ExpectedMessage "*could not be written to '$missing'*"
        Test-Path -LiteralPath (Join-Path $folder 'no-such-folder') | Should -BeFalse
    }

    It 'writes the report and says so when -Show finds no browser to open it' {
        Write-ScoutAuditEvent nav -Path $log
        $savedPath = $env:PATH
        try {
            # No xdg-open (or any other opener) on the PATH: a server without a desktop.
            $env:PATH = Join-Path $folder 'empty-bin'
            Export-ScoutAuditReport -Path $log -OutFile $report -Show -WarningVariable warnings -WarningAction SilentlyContinue
        }
        finally {
            $env:PATH = $savedPath
        }
        Test-Path -LiteralPath $report | Should -BeTrue
        $warnings.Message | Should -Match "The report was written to '.*report\.html', but no browser could open it"
    }

    It 'reports the logs a wildcard matches, archives left out, and a name with [ given as -LiteralPath' {
        $bracketed = Join-Path $folder 'team[1].jsonl'
        Write-ScoutAuditEvent nav -Cost 0.25 -Timestamp $recent -Path $log
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
        Write-ScoutAuditEvent nav -Cost 0.5 -Timestamp $recent -Path $bracketed
        Close-ScoutAuditLog -Path $log; Close-ScoutAuditLog -LiteralPath $bracketed

        Export-ScoutAuditReport -Path (Join-Path $folder '*.jsonl*') -OutFile $report -Verbose 4>&1 | Out-Null
        (Get-Content -Raw -LiteralPath $report) | Should -Match ([regex]::Escape('<dd>$0.75</dd>')) -Because 'both logs: the archive stands for its log, whose active file is gone after the rotation'

        Export-ScoutAuditReport -LiteralPath $bracketed -OutFile $report
        (Get-Content -Raw -LiteralPath $report) | Should -Match ([regex]::Escape('<dd>$0.5</dd>'))

        Remove-Item -LiteralPath $report
        Export-ScoutAuditReport -Path (Join-Path $folder 'nothing*.jsonl') -OutFile $report -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AuditLogNotFound,*'
        Test-Path -LiteralPath $report | Should -BeFalse -Because 'a pattern that matches no log is not the default log'
    }

    It 'is an ObjectNotFound error naming -Path when no log is there, and writes no report' {
        Export-ScoutAuditReport -Path $log -OutFile $report -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AuditLogNotFound,*'
        "$($failed[0])" | Should -Match "No audit log at '.*audit\.jsonl'.*Check -Path '"
        Test-Path -LiteralPath $report | Should -BeFalse -Because 'a page of zeros would read as a quiet day'
    }

    It 'refuses a window that ends before it starts' {
        { Export-ScoutAuditReport -Path $log -OutFile $report -Since $today -Until $today.AddDays(-1) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidTimeWindow,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand'
        Test-Path -LiteralPath $report | Should -BeFalse
    }

    It 'adds up the logs piped to it into one page' {
        $other = Join-Path $folder 'other.jsonl'
        Write-ScoutAuditEvent nav -Cost 1.5 -Path $log
        Write-ScoutAuditEvent nav -Cost 2.25 -Path $other
        Close-ScoutAuditLog -Path $other

        Get-Item -LiteralPath $log, $other | Export-ScoutAuditReport -OutFile $report

        $html = Get-Content -Raw -LiteralPath $report
        $html | Should -Match ([regex]::Escape('<dd>$3.75</dd>'))
        $html | Should -Match ([regex]::Escape("<code>$log</code>"))
        $html | Should -Match ([regex]::Escape("<code>$other</code>"))
    }

    Context 'what it writes over' {
        It 'leaves the log byte for byte as it was when $PSDefaultParameterValues points every cmdlet at it, and reports its numbers' {
            # The runbook's way to name its log once: -Path of every ScoutAudit cmdlet, the report's included, is the log.
            $PSDefaultParameterValues = @{ '*-Scout*:Path' = $log }
            Write-ScoutAuditEvent nav -Model llama-3.1-8b -Cost 0.25
            Write-ScoutAuditEvent validation_fail -Model llama-3.1-8b -Reason 'schema'
            Close-ScoutAuditLog
            $before = [IO.File]::ReadAllBytes($log)

            $file = Export-ScoutAuditReport -OutFile $report -Budget 1 -PassThru

            [IO.File]::ReadAllBytes($log) | Should -Be $before
            $file.FullName | Should -Be $report
            $html = Get-Content -Raw -LiteralPath $report
            $html | Should -Match ([regex]::Escape('<dd>$' + (Get-ScoutAuditSpend -Hours 1).Cost.ToString([cultureinfo]::InvariantCulture) + '</dd>'))
            $html | Should -Match ([regex]::Escape('<dd>0.00 %</dd>'))
            $html | Should -Match ([regex]::Escape("<code>$log</code>"))
        }

        It 'does not replace a file it did not make without -Force, and does with it' {
            Write-ScoutAuditEvent nav -Cost 0.5 -Path $log
            Set-Content -LiteralPath $report -Value 'notes of mine'

            { Export-ScoutAuditReport -Path $log -OutFile $report -ErrorAction Stop } |
                Should -Throw -ErrorId 'ReportOutFileNotReport,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand' -ExpectedMessage "*'$report'*not a report*-Force*"
            Get-Content -LiteralPath $report | Should -Be 'notes of mine'

            Export-ScoutAuditReport -Path $log -OutFile $report -Force
            Get-Content -Raw -LiteralPath $report | Should -Match '<meta name="generator" content="ScoutAudit'
            Get-ChildItem -LiteralPath $folder -Filter '*.tmp' -Force | Should -BeNullOrEmpty
        }

        It 'refuses <Case> as -OutFile even with -Force, and leaves it as it was' -ForEach @(
            @{ Case = 'the log it reports'; Name = { $log }; Absent = $false; Content = $false; Default = $false }
            @{ Case = 'another .jsonl file'; Name = { Join-Path $folder 'events.jsonl' }; Absent = $false; Content = $false; Default = $false }
            @{ Case = 'a .jsonl that does not exist yet'; Name = { Join-Path $folder 'new.jsonl' }; Absent = $true; Content = $false; Default = $false }
            @{ Case = 'an archive'; Name = { (Invoke-ScoutAuditRotation -Path $log -Confirm:$false).Path }; Absent = $false; Content = $false; Default = $false }
            @{ Case = 'the archive index'; Name = { Join-Path $folder 'audit.index.jsonl' }; Absent = $false; Content = $false; Default = $false }
            @{ Case = 'a sidecar'; Name = { "$log.verified" }; Absent = $false; Content = $false; Default = $false }
            @{ Case = 'the lock file'; Name = { "$log.lock" }; Absent = $false; Content = $false; Default = $false }
            @{ Case = 'a log by its content'; Name = { Join-Path $folder 'scout.log' }; Content = $true; Absent = $false; Default = $false }
            @{ Case = 'the default log'; Name = { $env:SCOUT_AUDIT_PATH }; Default = $true; Absent = $false; Content = $false }
        ) {
            $savedDefault = $env:SCOUT_AUDIT_PATH
            try {
                if ($Default) { $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.log' }
                Write-ScoutAuditEvent nav -Cost 0.5 -Path $log
                $target = & $Name
                if ($Content) { Set-ScoutAuditLogContent -Path $target -Line (New-ScoutAuditLine -Utc ([datetime]::UtcNow) -Event nav) }
                elseif (-not $Absent -and -not (Test-Path -LiteralPath $target)) { Set-Content -LiteralPath $target -Value 'x' }
                $before = if (Test-Path -LiteralPath $target) { [IO.File]::ReadAllBytes($target) }

                { Export-ScoutAuditReport -Path $log -OutFile $target -Force -ErrorAction Stop } |
                    Should -Throw -ErrorId 'ReportOutFileIsAuditLog,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand' -ExpectedMessage "*'$target'*never*-OutFile*"

                if ($Absent) { Test-Path -LiteralPath $target | Should -BeFalse }
                else { [IO.File]::ReadAllBytes($target) | Should -Be $before }
            }
            finally {
                $env:SCOUT_AUDIT_PATH = $savedDefault
            }
        }

        It 'does not wait on a FIFO put where the report goes, and replaces it only with -Force' -Skip:$IsWindows {
            Write-ScoutAuditEvent nav -Path $log
            mkfifo $report

            { Export-ScoutAuditReport -Path $log -OutFile $report -ErrorAction Stop } |
                Should -Throw -ErrorId 'ReportOutFileNotReport,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand' -ExpectedMessage '*not a regular file*'
            Export-ScoutAuditReport -Path $log -OutFile $report -Force
            Get-Content -Raw -LiteralPath $report | Should -Match '<meta name="generator" content="ScoutAudit'
        }

        It 'writes through no link put where its temporary file could go, nor makes the file a link names' -Skip:$IsWindows {
            Write-ScoutAuditEvent nav -Path $log
            # Another user's links in a shared output folder, at the names a temporary could take, to a
            # file of root's elsewhere and to a file that does not exist yet.
            $elsewhere = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $elsewhere
            $victim = Join-Path $elsewhere 'victim.txt'
            [IO.File]::WriteAllText($victim, "root's own`n")
            $absent = Join-Path $elsewhere 'created-through-a-link'
            $links = @("$report.tmp", "$report.new", "$report~", (Join-Path $folder '.report.html.tmp'), (Join-Path $folder 'report.tmp'))
            foreach ($link in $links) { $null = New-Item -ItemType SymbolicLink -Path $link -Target $victim }
            $null = New-Item -ItemType SymbolicLink -Path "$report.part" -Target $absent

            Export-ScoutAuditReport -Path $log -OutFile $report

            [IO.File]::ReadAllText($victim) | Should -Be "root's own`n"
            Test-Path -LiteralPath $absent | Should -BeFalse
            foreach ($link in $links) { (Get-Item -LiteralPath $link -Force).LinkTarget | Should -Be $victim }
            (Get-Item -LiteralPath $report).LinkType | Should -BeNullOrEmpty
            Get-Content -Raw -LiteralPath $report | Should -Match '<meta name="generator" content="ScoutAudit'
        }

        It 'writes the report 0600, readable by its owner only, under umask <Umask>, and over a file of 0644 with -Force' -Skip:$IsWindows -ForEach @(
            @{ Umask = '000' }
            @{ Umask = '022' }
        ) {
            Write-ScoutAuditEvent nav -Cost 0.5 -Reason 'a session''s reason' -Path $log
            Close-ScoutAuditLog -Path $log
            $other = Join-Path $folder 'other.html'
            [IO.File]::WriteAllText($other, 'not a report')
            chmod 644 $other
            $script = Join-Path $folder 'export.ps1'
            Set-Content -LiteralPath $script -Value "Import-Module `$env:SCOUT_TEST_MODULE; Export-ScoutAuditReport -Path '$log' -OutFile '$report'; Export-ScoutAuditReport -Path '$log' -OutFile '$other' -Force"

            $run = Invoke-ChildPwsh -Umask $Umask -ArgumentList '-File', $script -Environment @{ HOME = $folder; SCOUT_AUDIT_PATH = $log }

            $run.ExitCode | Should -Be 0 -Because $run.StdErr
            (Get-Item -LiteralPath $report).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
            (Get-Item -LiteralPath $other).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        }

        It 'refuses with -NoClobber to replace even its own earlier report' {
            Write-ScoutAuditEvent nav -Path $log
            Export-ScoutAuditReport -Path $log -OutFile $report -Title 'First'

            { Export-ScoutAuditReport -Path $log -OutFile $report -Title 'Second' -NoClobber -ErrorAction Stop } |
                Should -Throw -ErrorId 'ReportOutFileExists,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand' -ExpectedMessage "*'$report' already exists*-NoClobber*"
            { Export-ScoutAuditReport -Path $log -OutFile $report -Title 'Second' -NoClobber -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'ReportOutFileExists,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand'

            Get-Content -Raw -LiteralPath $report | Should -Match '<title>First</title>'
            $new = Join-Path $folder 'new.html'
            Export-ScoutAuditReport -Path $log -OutFile $new -NoClobber
            Get-Content -Raw -LiteralPath $new | Should -Match '<title>Scout audit report</title>'
        }

        It 'replaces a read-only report only with -Force, and keeps it read-only' {
            Write-ScoutAuditEvent nav -Path $log
            Export-ScoutAuditReport -Path $log -OutFile $report -Title 'First'
            (Get-Item -LiteralPath $report).IsReadOnly = $true

            { Export-ScoutAuditReport -Path $log -OutFile $report -Title 'Second' -ErrorAction Stop } |
                Should -Throw -ErrorId 'ReportOutFileReadOnly,ScoutAudit.PowerShell.Commands.ExportScoutAuditReportCommand' -ExpectedMessage "*'$report' is read-only*-Force*"
            Get-Content -Raw -LiteralPath $report | Should -Match '<title>First</title>'

            Export-ScoutAuditReport -Path $log -OutFile $report -Title 'Second' -Force
            Get-Content -Raw -LiteralPath $report | Should -Match '<title>Second</title>'
            (Get-Item -LiteralPath $report).IsReadOnly | Should -BeTrue
        }
    }
}
