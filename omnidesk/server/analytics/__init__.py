"""Reports: the desk's figures over a period, by channel, queue, operator and time, with exports."""
