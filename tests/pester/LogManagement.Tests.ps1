#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# An operator manages logs: rotation and archives, settings, sync policies, closing.

Describe 'Log management' {
    BeforeAll {
        Import-Module ([System.IO.Path]::GetFullPath("$PSScriptRoot/Support/ScoutAuditTestSupport.psm1")) -Force
        Import-Module (Get-ScoutAuditModulePath) -Force
        $savedAuditPath = $env:SCOUT_AUDIT_PATH

        function Read-GzipLines([string] $Path) {
            $file = [System.IO.File]::OpenRead($Path)
            try {
                $gzip = [System.IO.Compression.GZipStream]::new($file, [System.IO.Compression.CompressionMode]::Decompress)
                $reader = [System.IO.StreamReader]::new($gzip)
                $reader.ReadToEnd().TrimEnd("`n").Split("`n")
            }
            finally { $file.Dispose() }
        }
    }

    AfterAll {
        Remove-Module ScoutAudit -ErrorAction SilentlyContinue
        $env:SCOUT_AUDIT_PATH = $savedAuditPath
    }

    BeforeEach {
        # Each test gets a folder of its own: archives and index files live beside the log.
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $folder | Out-Null
        $log = Join-Path $folder 'audit.jsonl'
        $env:SCOUT_AUDIT_PATH = Join-Path $folder 'default.jsonl'
    }

    AfterEach {
        Close-ScoutAuditLog -Path $log
        Close-ScoutAuditLog -Path $env:SCOUT_AUDIT_PATH
    }

    Context 'Invoke-ScoutAuditRotation' {
        It 'changes nothing on disk with -WhatIf' {
            Write-ScoutAuditEvent nav -Cost 1 -Path $log
            Close-ScoutAuditLog -Path $log
            $before = Get-Content -LiteralPath $log -Raw

            Invoke-ScoutAuditRotation -Path $log -WhatIf

            Get-ChildItem -LiteralPath $folder -Filter '*.gz' | Should -BeNullOrEmpty
            Get-Content -LiteralPath $log -Raw | Should -BeExactly $before
            (Get-ScoutAuditLog -Path $log).Archives | Should -Be 0
        }

        It 'archives the active file with the original naming and returns the archive' {
            1..3 | ForEach-Object { Write-ScoutAuditEvent nav -Cost 1 -Path $log }

            $archive = Invoke-ScoutAuditRotation -Path $log -Confirm:$false

            $archive.Path | Should -Match '[\\/]audit_\d{8}_\d{6}_\d{4}\.jsonl\.gz$'
            $archive.Path | Should -Exist
            $archive.Lines | Should -Be 3
            (Get-ScoutAuditLog -Path $log).Archives | Should -Be 1
            (Get-ScoutAuditLog -Path $log).Size | Should -Be 0
        }

        It 'writes a plain gzip JSONL archive whose SHA-256 is the one returned' {
            Write-ScoutAuditEvent nav -Reason 'first' -Path $log
            Write-ScoutAuditEvent deep -Reason 'second' -Path $log
            $activeLines = Get-Content -LiteralPath $log

            $archive = Invoke-ScoutAuditRotation -Path $log -Confirm:$false

            Read-GzipLines $archive.Path | Should -Be $activeLines
            (Get-FileHash -LiteralPath $archive.Path -Algorithm SHA256).Hash | Should -Be $archive.Sha256
        }

        It 'returns nothing when the active file is empty' {
            Write-ScoutAuditEvent nav -Path $log
            Invoke-ScoutAuditRotation -Path $log -Confirm:$false | Out-Null

            Invoke-ScoutAuditRotation -Path $log -Confirm:$false | Should -BeNullOrEmpty
            (Get-ScoutAuditLog -Path $log).Archives | Should -Be 1
        }

        It 'keeps both archives of two rotations in the same second, the later one sorting after' {
            $archives = foreach ($i in 1..3) {
                Write-ScoutAuditEvent nav -Cost $i -Path $log
                Invoke-ScoutAuditRotation -Path $log -Confirm:$false
            }

            $names = $archives.Path | ForEach-Object { [System.IO.Path]::GetFileName($_) }
            $names | Select-Object -Unique | Should -HaveCount 3
            [string[]] $ordinal = $names.Clone(); [Array]::Sort($ordinal, [StringComparer]::Ordinal)
            $ordinal | Should -Be $names
            (Get-ScoutAuditEvent -Path $log).Cost | Should -Be @(1, 2, 3)
        }

        It 'answers events, spend and accuracy from the archives and the active file together' {
            Write-ScoutAuditEvent nav -Cost 0.5 -Reason 'archived' -Path $log
            Write-ScoutAuditEvent validation_fail -Path $log
            Invoke-ScoutAuditRotation -Path $log -Confirm:$false | Out-Null
            Write-ScoutAuditEvent nav -Cost 0.25 -Reason 'active' -Path $log

            (Get-ScoutAuditEvent nav -Path $log).Reason | Should -Be @('archived', 'active')
            (Get-ScoutAuditSpend -Path $log).Cost | Should -Be 0.75
            (Get-ScoutAuditSpend -Hours 1 -Path $log).Events | Should -Be 3
            (Get-ScoutAuditAccuracy -Path $log).AccuracyPct | Should -Be 50
            (Get-ScoutAuditEvent -Last 2 -Path $log).Event | Should -Be @('validation_fail', 'nav')
        }

        It 'rotates every log piped from Get-ScoutAuditLog' {
            $second = Join-Path $folder 'second.jsonl'
            Write-ScoutAuditEvent nav -Path $log
            Write-ScoutAuditEvent nav -Path $second

            $archives = Get-ScoutAuditLog -Path $log, $second | Invoke-ScoutAuditRotation -Confirm:$false

            $archives | Should -HaveCount 2
            (Get-ScoutAuditLog -Path $log, $second).Archives | Should -Be @(1, 1)
            Close-ScoutAuditLog -Path $second
        }
    }

    Context 'Set-ScoutAuditLog and Get-ScoutAuditLog' {
        It 'describes a log: path, size, archives and default settings' {
            Write-ScoutAuditEvent nav -Path $log
            Close-ScoutAuditLog -Path $log

            $info = Get-ScoutAuditLog -Path $log

            $info.Path | Should -Be $log
            $info.Size | Should -Be (Get-Item -LiteralPath $log).Length
            $info.Archives | Should -Be 0
            $info.RotationSize | Should -Be 10MB
            "$($info.SyncPolicy)" | Should -Match 'Cadence'
        }

        It 'accepts a PowerShell size literal for -RotationSize' {
            Set-ScoutAuditLog -Path $log -RotationSize 50MB
            Set-ScoutAuditLog -Path $log -RotationSize 10MB

            (Get-ScoutAuditLog -Path $log).RotationSize | Should -Be 10485760
        }

        It 'rotates by itself once the active file reaches the rotation size, losing nothing' {
            Set-ScoutAuditLog -Path $log -RotationSize 4KB # the smallest size taken
            1..40 | ForEach-Object { Write-ScoutAuditEvent nav -Cost 0.001 -Reason ('event {0:d2} {1}' -f $_, ('x' * 300)) -Path $log }
            # Sealed files are compressed in the background; closing waits for that, so every archive is counted.
            Close-ScoutAuditLog -Path $log

            (Get-ScoutAuditLog -Path $log).Archives | Should -BeGreaterThan 1
            $events = Get-ScoutAuditEvent -Path $log
            $events | Should -HaveCount 40
            $events.Reason | ForEach-Object { $_.Substring(0, 8) } | Should -Be (1..40 | ForEach-Object { 'event {0:d2}' -f $_ })
        }

        It 'returns the new settings with -PassThru' {
            $info = Set-ScoutAuditLog -Path $log -SyncPolicy Cadence -SyncEveryLines 100 -SyncInterval ([timespan]::FromSeconds(5)) -PassThru

            $info.Path | Should -Be $log
            $info.SyncPolicy | Should -Be 'Cadence'
            $info.SyncEveryLines | Should -Be 100
            $info.SyncInterval | Should -Be ([timespan]::FromSeconds(5))
        }

        It 'keeps the settings not given' {
            Set-ScoutAuditLog -Path $log -RotationSize 2MB
            Set-ScoutAuditLog -Path $log -SyncPolicy EveryEvent

            $info = Get-ScoutAuditLog -Path $log
            $info.RotationSize | Should -Be 2MB
            $info.SyncPolicy | Should -Be 'EveryEvent'
        }

        It 'changes nothing with -WhatIf' {
            Set-ScoutAuditLog -Path $log -SyncPolicy None -RotationSize 1MB -WhatIf

            $info = Get-ScoutAuditLog -Path $log
            $info.SyncPolicy | Should -Be 'Cadence'
            $info.RotationSize | Should -Be 10MB
        }

        It 'refuses a sync interval over one hour with InvalidLogSetting' {
            { Set-ScoutAuditLog -Path $log -SyncInterval ([timespan]::FromHours(2)) } |
                Should -Throw -ErrorId 'InvalidLogSetting,ScoutAudit.PowerShell.Commands.SetScoutAuditLogCommand'
        }

        It 'lists the default log and every log the session named' {
            Write-ScoutAuditEvent nav -Path $log
            Write-ScoutAuditEvent nav

            $paths = (Get-ScoutAuditLog).Path
            $paths | Should -Contain $log
            $paths | Should -Contain $env:SCOUT_AUDIT_PATH
        }
    }

    Context 'Sync policies and closing' {
        It 'has every event on stable storage when Write-ScoutAuditEvent returns under EveryEvent' {
            Set-ScoutAuditLog -Path $log -SyncPolicy EveryEvent
            foreach ($i in 1..3) {
                Write-ScoutAuditEvent nav -Path $log
                (Get-ScoutAuditLog -Path $log).UnsyncedLines | Should -Be 0
            }
        }

        It 'syncs within about a second of the last write under the default cadence' {
            Write-ScoutAuditEvent nav -Path $log
            (Get-ScoutAuditLog -Path $log).UnsyncedLines | Should -Be 1

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            while ((Get-ScoutAuditLog -Path $log).UnsyncedLines -gt 0 -and $watch.Elapsed.TotalSeconds -lt 5) { Start-Sleep -Milliseconds 50 }

            (Get-ScoutAuditLog -Path $log).UnsyncedLines | Should -Be 0
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
        }

        It 'syncs after every 10th line under the default cadence, beside the writer' {
            1..10 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log }

            # The 10th Write-ScoutAuditEvent returns while its sync runs on another thread.
            $deadline = [datetime]::UtcNow.AddSeconds(10)
            while ((Get-ScoutAuditLog -Path $log).UnsyncedLines -ne 0 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
            (Get-ScoutAuditLog -Path $log).UnsyncedLines | Should -Be 0
        }

        It 'leaves syncing to the OS under None until the log is closed' {
            Set-ScoutAuditLog -Path $log -SyncPolicy None
            1..3 | ForEach-Object { Write-ScoutAuditEvent nav -Path $log }
            (Get-ScoutAuditLog -Path $log).UnsyncedLines | Should -Be 3

            Close-ScoutAuditLog -Path $log

            (Get-ScoutAuditLog -Path $log).UnsyncedLines | Should -Be 0
        }

        It 'closes every log piped from Get-ScoutAuditLog' {
            $second = Join-Path $folder 'second.jsonl'
            Set-ScoutAuditLog -Path $log -SyncPolicy None
            Set-ScoutAuditLog -Path $second -SyncPolicy None
            Write-ScoutAuditEvent nav -Path $log
            Write-ScoutAuditEvent nav -Path $second

            Get-ScoutAuditLog | Close-ScoutAuditLog

            (Get-ScoutAuditLog -Path $log, $second).UnsyncedLines | Should -Be @(0, 0)
        }

        It 'keeps the settings after closing and reopens the log on the next write' {
            Set-ScoutAuditLog -Path $log -SyncPolicy None
            Write-ScoutAuditEvent nav -Path $log
            Close-ScoutAuditLog -Path $log

            Write-ScoutAuditEvent deep -Path $log

            (Get-ScoutAuditLog -Path $log).SyncPolicy | Should -Be 'None'
            (Get-ScoutAuditEvent -Path $log).Event | Should -Be @('nav', 'deep')
        }

        It 'does nothing when closing a log that is not open' {
            $never = Join-Path $folder 'never.jsonl'

            { Close-ScoutAuditLog -Path $never -ErrorAction Stop } | Should -Not -Throw
            $never | Should -Not -Exist
        }
    }
}
