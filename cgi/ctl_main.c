/* ctl_main.c -- rekeyctl. */
#include "extern.h"

int
main(int argc, char **argv)
{
	return ctl_main(argc, argv);
}
