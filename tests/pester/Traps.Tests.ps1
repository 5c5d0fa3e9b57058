# What a new user runs into, in real pwsh: a test's cleanup that deletes the log's folder, a
# rotation size without its unit, an archive or another file of a log given as -Path, and a place
# where no file can be made. Each works, or says exactly what is wrong and names the log.

BeforeAll {
    Import-Module ([IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../module/ScoutAudit.psd1'))) -Force
}

AfterAll {
    Remove-Module ScoutAudit -ErrorAction SilentlyContinue
}

Describe 'A log whose folder was deleted while the session held it open' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        $log = Join-Path $folder 'audit.jsonl'
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
    }

    It 'is written again as a new log by the next Write-ScoutAuditEvent, with one warning that its earlier files are gone' {
        Write-ScoutAuditEvent nav -Path $log
        Remove-Item -LiteralPath $folder -Recurse -Force

        Write-ScoutAuditEvent brief -Path $log -WarningVariable first -WarningAction SilentlyContinue
        Write-ScoutAuditEvent deep -Path $log -WarningVariable second -WarningAction SilentlyContinue

        (Get-ScoutAuditEvent -Path $log).Event | Should -Be 'brief', 'deep'
        $first | Should -HaveCount 1
        "$first" | Should -BeLike "The directory '$folder' of the audit log '$log' was deleted since this process last wrote to it, and its earlier files are gone with it.*"
        $second | Should -BeNullOrEmpty
    }

    It 'makes the folder and the file again for their owner only, as for a new log' -Skip:$IsWindows {
        Write-ScoutAuditEvent nav -Path $log
        Remove-Item -LiteralPath $folder -Recurse -Force

        Write-ScoutAuditEvent nav -Path $log -WarningAction SilentlyContinue

        (Get-Item -LiteralPath $folder).UnixMode | Should -Be 'drwx------'
        (Get-Item -LiteralPath $log).UnixMode | Should -Be '-rw-------'
    }
}

Describe 'A Pester suite whose AfterEach removes the folder of the log its tests share' {
    BeforeAll {
        $shared = Join-Path $TestDrive 'shared'
        $sharedLog = Join-Path $shared 'audit.jsonl'
    }

    AfterEach {
        Remove-Item -LiteralPath $shared -Recurse -Force -ErrorAction Ignore
    }

    AfterAll {
        Close-ScoutAuditLog -Path $sharedLog
    }

    It 'writes and reads in the first test' {
        Write-ScoutAuditEvent nav -Path $sharedLog
        (Get-ScoutAuditEvent -Path $sharedLog).Event | Should -Be 'nav'
    }

    It 'writes and reads in the next test too, after the folder was removed' {
        Write-ScoutAuditEvent brief -Path $sharedLog -WarningAction SilentlyContinue
        (Get-ScoutAuditEvent -Path $sharedLog).Event | Should -Be 'brief'
    }
}

Describe 'A rotation size without its unit' {
    BeforeEach {
        $log = Join-Path $TestDrive "$([guid]::NewGuid()).jsonl"
    }

    It 'is refused for -RotationSize <Size>, suggesting <Meant>, and the size is left as it was' -ForEach @(
        @{ Size = 10; Meant = '10MB' }
        @{ Size = 1000; Meant = '1000MB' }
        @{ Size = 2048; Meant = '2048KB' }
    ) {
        $refused = { Set-ScoutAuditLog -Path $log -RotationSize $Size } | Should -Throw -ErrorId 'InvalidLogSetting,*' -PassThru

        "$refused" | Should -Be "Cannot validate argument on parameter 'RotationSize'. $Size bytes is below the minimum of 4 KB; did you mean $Meant`? Give 0 or `$null to never rotate by size."
        (Get-ScoutAuditLog -Path $log).RotationSize | Should -Be 10MB
    }

    It 'takes 4KB, the minimum, and 0 for never' {
        (Set-ScoutAuditLog -Path $log -RotationSize 4KB -PassThru).RotationSize | Should -Be 4096
        (Set-ScoutAuditLog -Path $log -RotationSize 0 -PassThru).RotationSize | Should -BeNullOrEmpty
    }
}

Describe 'An archive or another file of a log given as -Path' {
    BeforeEach {
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        $log = Join-Path $folder 'audit.jsonl'
        'a1', 'a2' | ForEach-Object { Write-ScoutAuditEvent $_ -Cost 0.5 -Path $log }
        $null = Invoke-ScoutAuditRotation -Path $log -Confirm:$false
        Write-ScoutAuditEvent b1 -Cost 0.25 -Path $log
        Close-ScoutAuditLog -Path $log
        Test-ScoutAuditLog -Path $log | Out-Null # leaves the verification state beside the log
        $archive = (Get-ChildItem -LiteralPath $folder -Filter 'audit_*.jsonl.gz').FullName
    }

    It 'reads an archive as that archive alone, without a warning' {
        $events = Get-ScoutAuditEvent -Path $archive -WarningVariable warned

        $events.Event | Should -Be 'a1', 'a2'
        $warned | Should -BeNullOrEmpty
        (Get-ScoutAuditSpend -Path $archive).Cost | Should -Be 1.0
    }

    It 'reads each event once when a log is piped in with all its files, and skips the others in a verbose word' {
        $verbose = Get-ChildItem -LiteralPath $folder -Filter '*.jsonl*' | Get-ScoutAuditEvent -Verbose -WarningVariable warned 4>&1
        $events = $verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $said = $verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message

        $events.Event | Sort-Object | Should -Be 'a1', 'a2', 'b1'
        $warned | Should -BeNullOrEmpty
        $said | Should -Contain "Skipped '$log.lock': it is the append lock of the log '$log', not a log."
        $said | Should -Contain "Skipped '$log.verified': it is the verification state of the log '$log', not a log."
        $said | Should -Contain "Skipped '$(Join-Path $folder 'audit.index.jsonl')': it is the archive index of the log '$log', not a log."
    }

    It 'warns once, naming the log, for a lock file named on the command line' {
        Get-ScoutAuditEvent -Path "$log.lock" -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty

        $warned | Should -HaveCount 1
        "$warned" | Should -Be "Skipped '$log.lock': it is the append lock of the log '$log', not a log. Give the log itself: -Path '$log'."
    }

    It 'never reads a compressed file as text' {
        $copy = Join-Path $folder 'copy.jsonl.gz'
        Copy-Item -LiteralPath $archive $copy

        Get-ScoutAuditEvent -Path $copy -WarningVariable warned -WarningAction SilentlyContinue | Should -BeNullOrEmpty

        "$warned" | Should -BeLike "Skipped '$copy': it is compressed, and not named as an archive of a log*"
        "$warned" | Should -Not -BeLike '*not valid events*'
    }

    It 'is refused by a command that writes, naming the log' {
        $toArchive = { Write-ScoutAuditEvent nav -Path $archive } | Should -Throw -ErrorId 'AuditLogPathNotLog,*' -PassThru
        $toLock = { Set-ScoutAuditLog -Path "$log.lock" -RotationSize 1MB } | Should -Throw -ErrorId 'AuditLogPathNotLog,*' -PassThru

        "$toArchive" | Should -BeLike "'$archive' is an archive of the log '$log'; give the log itself: -Path '$log'.*"
        "$toLock" | Should -Be "'$log.lock' is the append lock of the log '$log', not a log; give the log itself: -Path '$log'."
    }
}

Describe 'A place where no file can be made' {
    It 'is an error naming the log, not a lock file' -Skip:(-not $IsLinux) {
        $failed = { Write-ScoutAuditEvent nav -Path /proc/scoutaudit-pester.jsonl } |
            Should -Throw -ErrorId 'AuditLogWriteFailed,*' -PassThru

        "$failed" | Should -Be "The audit log '/proc/scoutaudit-pester.jsonl' cannot be opened for writing: no file can be created in '/proc' (No such file or directory)."
        "$failed" | Should -Not -BeLike '*.lock*'
        Close-ScoutAuditLog -Path /proc/scoutaudit-pester.jsonl
    }
}
